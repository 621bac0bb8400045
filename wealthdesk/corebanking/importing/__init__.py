"""File loads from the core banking system (R8, R29): reading, column layouts, validation and loading."""
