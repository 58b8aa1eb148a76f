"""The audit trail as the 安全审计员 reads it (issue 23): search, export with the sealed chain head,
and the alert when the storage holding it is near full."""
