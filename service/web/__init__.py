"""What every HTTP adapter shares (the staff API in `service.http`, the officers' API in
`mobile_api`, the public pages): the caller read from a bearer token, the one mapping of
errors to problem details, the list envelope, and the JSON shapes both APIs answer with."""
