"""Who may do what with excellences (registered with the core policy when the app is ready)."""


def register() -> None:
    """Register this topic's rules (and anything else it adds when the app is ready)."""
