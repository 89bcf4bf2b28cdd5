package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One route of the API: method, path (Javalin's {@code {param}} syntax, the same as OpenAPI's),
 * the least role that may call it (null: no key needed), and its handler. The route table is
 * data so the OpenAPI document can be checked against it.
 */
record ApiRoute(HandlerType method, String path, Role role, Handler handler) {
  static ApiRoute get(String path, Role role, Handler handler) {
    return new ApiRoute(HandlerType.GET, path, role, handler);
  }

  static ApiRoute post(String path, Role role, Handler handler) {
    return new ApiRoute(HandlerType.POST, path, role, handler);
  }
}
