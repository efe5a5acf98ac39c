"""Tests of the renderers: the output formats, the report view model and the layouts."""
