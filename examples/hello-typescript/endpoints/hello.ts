import { Endpoint, type EndpointSettings, type EndpointValues } from "endpoint-kit";

/** Answers with the path values it matched, as JSON. */
export default class HelloEndpoint extends Endpoint {
  override _invoke(request: Request, values: EndpointValues, settings: EndpointSettings): Response {
    return Response.json({
      endpoint: "hello",
      method: request.method,
      values,
      // Names only: setting values may be secrets.
      settings: Object.keys(settings).sort(),
    });
  }
}
