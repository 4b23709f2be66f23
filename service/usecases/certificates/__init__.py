"""The certificate's life, by concept:

- `lifecycle`: the commands people give (apply, issue, suspend, reinstate, revoke,
  cancel, reissue);
- `transitions`: the one place a certificate's status is written (lapses too);
- `eligibility`: what the records say about an officer's right to a certificate;
- `numbering`: numbers, status-list indexes and the issuing authority;
- `queries`: certificates as the caller may see them;
- `lapses`: the daily sweep that writes down expiries and ended suspensions.
"""
