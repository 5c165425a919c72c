import { z } from 'zod';
import { ok, type ApiOperation } from '../operation';
import { createdVenueSchema, venueLayoutFileSchema, venueListSchema, venueSchema } from '../schemas/admin';

export const ADMIN_VENUES: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/venues',
    id: 'admin.venues.list',
    tag: 'Admin: venues',
    summary: 'Every venue with its size',
    access: 'admin',
    responses: ok('The venues', venueListSchema),
  },
  {
    method: 'post',
    path: '/api/admin/venues',
    id: 'admin.venues.create',
    tag: 'Admin: venues',
    summary: 'Create a venue from a layout document',
    description:
      'From the builder or an imported file (`?source=import`). 422 names the line and reason of every problem in `errors`.',
    access: 'admin',
    query: z.object({ source: z.enum(['builder', 'import']).optional() }),
    body: venueLayoutFileSchema,
    responses: { 201: { description: 'The new venue (Location names it)', schema: createdVenueSchema } },
  },
  {
    method: 'get',
    path: '/api/admin/venues/{id}',
    id: 'admin.venues.get',
    tag: 'Admin: venues',
    summary: 'A venue with its layout document',
    access: 'admin',
    responses: ok('The venue', venueSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/admin/venues/{id}/layout',
    id: 'admin.venues.layout',
    tag: 'Admin: venues',
    summary: 'Export a venue’s layout file',
    description: 'An attachment, ready to import elsewhere (docs/venue-layout.md).',
    access: 'admin',
    responses: ok('The layout document', venueLayoutFileSchema),
    errors: ['NOT_FOUND'],
  },
];
