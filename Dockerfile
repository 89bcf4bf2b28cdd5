# Image for the coordinator and the example workers (used by docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY schemas schemas
COPY worker-sdk worker-sdk
COPY coordinator coordinator
COPY worker-sdk-python worker-sdk-python
# coordinator/pom.xml bundles ../examples into the jar (for `demo` and `chaos`); without it Maven skips them silently.
COPY examples examples
RUN mvn -q -B -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/coordinator/target/groundcontrol.jar /app/groundcontrol.jar
COPY --from=build /src/coordinator/target/lib /app/lib
COPY examples /app/examples
ENTRYPOINT ["java", "-jar", "/app/groundcontrol.jar"]
