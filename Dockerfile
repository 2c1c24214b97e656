# Router Studio as a container: the studio plus the emulator and image tools it drives.
# Build the jar first (mvn -DskipTests package), then: docker-compose up --build
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless qemu-system-mips qemu-user-static squashfs-tools cpio xz-utils kmod ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /data --shell /usr/sbin/nologin studio && mkdir -p /data && chown studio /data
COPY target/router-studio.jar /opt/router-studio/router-studio.jar
USER studio
ENV STUDIO_DATA_DIR=/data TMPDIR=/data/tmp
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["java", "-Djava.io.tmpdir=/data/tmp", "-jar", "/opt/router-studio/router-studio.jar"]
