"""Pages of the customer-voice app, one module per feature."""
