"""package marker of the stand-in `dify_plugin.core.entities`."""
