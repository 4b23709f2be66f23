"""officer-cert: enforcement certificates (行政执法证) and training hours (学时)."""
