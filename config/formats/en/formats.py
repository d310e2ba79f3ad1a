"""English pages show and read dates the way Vietnamese ones do: dd/mm/yyyy (ISO accepted)."""

from config.formats.vi.formats import *  # noqa: F403 — one date style for both languages
