# The cachep image used by docker-compose.yml: every launcher in bin/ with its built jars.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /opt/cachep
# bin/health, the projector's healthcheck in docker-compose.yml, is bash: this image has bash, not curl or wget.
COPY --from=build /src/bin bin
COPY --from=build /src/rules rules
COPY --from=build /src/topics topics
COPY --from=build /src/projector/target/projector.jar projector/target/projector.jar
COPY --from=build /src/projector/target/lib projector/target/lib
COPY --from=build /src/producer-demo/target/producer-demo.jar producer-demo/target/producer-demo.jar
COPY --from=build /src/producer-demo/target/lib producer-demo/target/lib
COPY --from=build /src/dlq-tool/target/dlq-tool.jar dlq-tool/target/dlq-tool.jar
COPY --from=build /src/dlq-tool/target/lib dlq-tool/target/lib
# The image has no sources: never try to build.
ENV CACHEP_NO_BUILD=1
