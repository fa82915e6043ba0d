# syntax=docker/dockerfile:1
# The weir image: the controller jar with its libraries, on Debian with the iptables/ipset/conntrack tools the agent
# drives. Build from the repository root:  docker build -t ghcr.io/weir-project/weir:0.1.0 .
# Needs only Debian's archive and Maven Central. (No Docker on the development machines: this file is checked by
# charts/src/test/java/dev/weir/chart/DockerfileTest.java, not built, in CI. images/build makes the same image without
# Docker, with mmdebstrap, and the lab runs that; ImageBuildTest holds the two in step. docs/helm.md: both ways.)

FROM debian:bookworm-slim AS build
# -slim drops man pages, so /usr/share/man/man1 is missing, and openjdk's postinst fails registering its man page as an
# alternative there ("update-alternatives: error creating symbolic link"): make the directory first, in both stages.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Every module's pom is in the context (the reactor reads them all); only the controller and what it needs are built.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl controller -am package -DskipTests

FROM debian:bookworm-slim
# iptables ships both iptables-nft and iptables-legacy; the agent picks the one the node uses (--iptables-backend).
# It also ships ebtables-nft, which the agent uses for layer-2 anti-spoofing on bridged pods.
# iproute2: the agent reads routes and devices (ip route, ip link) to find each pod's interface (anti-spoofing).
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless iptables ipset conntrack iproute2 kmod \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/controller/target/weir.jar /opt/weir/weir.jar
COPY --from=build /src/controller/target/lib/ /opt/weir/lib/
LABEL org.opencontainers.image.source="https://github.com/weir-project/weir" \
      org.opencontainers.image.title="weir" \
      org.opencontainers.image.description="Kubernetes NetworkPolicy enforcement with iptables and ipsets"
ENTRYPOINT ["java", "-jar", "/opt/weir/weir.jar"]
CMD ["agent"]
