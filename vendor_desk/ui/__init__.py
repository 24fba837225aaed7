"""The Qt user interface: the only place Qt lives."""
