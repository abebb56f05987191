"""Helpers shared by every app, depending on none of them: CSV reading, exports, API errors,
the client's IP, request limits, name folding, the list-of-errors exception."""
