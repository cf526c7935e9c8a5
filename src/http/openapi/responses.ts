/** Error responses shared by the routes of the OpenAPI document (`../openapi.ts`). */

/** An error response of the API: an `Error` body. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The errors every route can answer. */
export const commonErrors = {
  '404': errorResponse('No route matches the path (`route_not_found`).'),
  '405': errorResponse(
    'A method the route does not take (`method_not_allowed`); the `Allow` header lists those it does.',
  ),
  '500': errorResponse('Unexpected server error (`internal`); details are logged, never sent.'),
};

export const loading = errorResponse('The index is still loading (`index_loading`, type `system`); see `Retry-After`.');

export const busy = errorResponse(
  'The index is still loading (`index_loading`, `Retry-After: 5`), or the service is overloaded (`overloaded`, `Retry-After: 1`): too many searches already wait, or this one waited too long for its turn. Type `system`.',
);

/** The start of every 400 description: the query-string errors all routes share. */
export const badQueryString =
  'Bad parameter. Codes: `invalid_query_string` (broken percent-encoding or a NUL character anywhere in the query string), ';
