import { searchQuerySchema } from '@/lib/contracts/catalog';
import { eventDetails, searchResult } from '../schemas/contracts';
import { ok, type ApiOperation } from '../operation';

export const CATALOG: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/events',
    id: 'events.search',
    tag: 'Catalog',
    summary: 'Search and browse upcoming events',
    description: 'Published, upcoming events with facets. Answers may be cached for 5 s.',
    access: 'public',
    query: searchQuerySchema,
    responses: ok('A page of events', searchResult),
  },
  {
    method: 'get',
    path: '/api/events/{id}',
    id: 'events.details',
    tag: 'Catalog',
    summary: 'Event details',
    description: 'With seats left per section and tier. Drafts exist only for admins; anyone else gets 404.',
    access: 'public',
    responses: ok('The event', eventDetails),
    errors: ['NOT_FOUND'],
  },
];
