import json
from typing import Mapping

from werkzeug import Request, Response

from dify_plugin import Endpoint


class HelloEndpoint(Endpoint):
    def _invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        """Answers with the path values it matched, as JSON."""
        body = {
            "endpoint": "hello",
            "method": r.method,
            "values": dict(values),
            # Names only: setting values may be secrets.
            "settings": sorted(settings.keys()),
        }
        # default=str turns uuid converter values into text.
        return Response(json.dumps(body, default=str), status=200, content_type="application/json")
