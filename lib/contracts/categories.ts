export const EVENT_CATEGORIES = ['concert', 'theatre', 'sports', 'comedy', 'family', 'festival'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<EventCategory, string> = {
  concert: 'Concerts',
  theatre: 'Theatre',
  sports: 'Sports',
  comedy: 'Comedy',
  family: 'Family',
  festival: 'Festivals',
};
