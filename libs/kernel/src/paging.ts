/**
 * The highest page number a paged list accepts. Past it a page would skip over a million rows
 * (at the largest page size, 100): narrow the list with filters instead. Without a bound, a page
 * like 1e308 passed @IsInt() and made an OFFSET PostgreSQL cannot read (a 500).
 */
export const MAX_PAGE = 10_000;
