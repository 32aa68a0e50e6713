"""质量月 platform."""
