"""Papyrus components: a Pulumi component library for containerised web apps on AWS."""
