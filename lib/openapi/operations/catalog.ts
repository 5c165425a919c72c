import { searchQuerySchema } from '@/lib/contracts/catalog';
import { eventDetails, searchResult } from '../schemas/contracts';
import type { ApiOperation } from '../operation';

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
    responses: { 200: { description: 'A page of events', schema: searchResult } },
  },
  {
    method: 'get',
    path: '/api/events/{id}',
    id: 'events.details',
    tag: 'Catalog',
    summary: 'Event details',
    description: 'With seats left per section and tier. Drafts exist only for admins; anyone else gets 404.',
    access: 'public',
    responses: { 200: { description: 'The event', schema: eventDetails } },
    errors: ['NOT_FOUND'],
  },
];
