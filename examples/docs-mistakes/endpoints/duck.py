from werkzeug import Request, Response

from dify_plugin import Endpoint


class Duck(Endpoint):
    def _invoke(self, r: Request, values, settings) -> Response:
        return Response(f"{values['app_id']} <br>", status=200, content_type="text/html")
