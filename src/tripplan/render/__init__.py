"""Rendering: turn domain results into Rich tables (or JSON). No computation happens here."""
