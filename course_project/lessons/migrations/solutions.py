"""Reference answers for notebook 11."""
undo_rename_target = "0004_book_title_idx"
record_without_running = {"fake": True}
