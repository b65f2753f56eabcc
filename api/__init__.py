"""The HTTP API: the Litestar app, controllers, schemas, guards and error mapping."""
