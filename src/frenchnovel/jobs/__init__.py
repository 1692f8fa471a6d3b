"""The use cases of jobs: submit, start, complete, fail, cancel (database only, no HTTP)."""
