"""Operations: failed tasks kept for the administrator, backups that restore."""
