"""Who does what in the customer archive (R28, R29; decided in docs/users.md, "档案保管员").

* uploading: the client manager (own customers) and the archive keeper (the center's customers);
* reading the content (download): the client manager (own customers), the team lead (the team's), the center head
  and the archive keeper (the center) — the people of the center who hold or serve the customer;
* upper levels (sub-branch, branch, head office service roles): the metadata only, read-only — never the content;
* paper files: the keeper checks them out and back in; the head sees what is out and overdue.
"""
from wealthdesk.core.roles import Role

UPLOADERS = frozenset({Role.CLIENT_MANAGER, Role.ARCHIVE_KEEPER})
CONTENT_READERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, Role.ARCHIVE_KEEPER})
METADATA_READERS = CONTENT_READERS | {Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE}
KEEPERS = frozenset({Role.ARCHIVE_KEEPER})
CUSTODY_WATCHERS = frozenset({Role.ARCHIVE_KEEPER, Role.CENTER_HEAD})
PAPER_READERS = CONTENT_READERS | {Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE}
