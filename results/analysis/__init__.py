"""Analysis of run data: metrics with expanded uncertainty, and statements of conformity."""
