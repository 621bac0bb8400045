"""The jobs list is reached from the pages that start jobs (the import page) and from a job's own page; it has no
entry of its own in the top navigation, which stays for daily work."""
