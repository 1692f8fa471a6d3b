"""The asynchronous path: Celery app, thin tasks, dispatch, and the processes that run them."""
