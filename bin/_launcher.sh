# Shared by the bin/ launchers: find the repo, build the modules when their jars are missing or older than the
# sources, and run a module's main class on its copied runtime class path. Sourced, not run.
set -euo pipefail

CACHEP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Builds every module (tests skipped) when a launcher's jar is missing or a source or pom is newer than it.
cachep_build_if_needed() {
  local jar="$CACHEP_HOME/$1/target/$1.jar"
  if [[ -n "${CACHEP_NO_BUILD:-}" ]]; then
    return 0  # set in the container image and by tests that run the launchers on a fresh build
  fi
  if [[ -f "$jar" && -d "$CACHEP_HOME/$1/target/lib" ]] && \
     [[ -z "$(find "$CACHEP_HOME" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.lua' -o -name '*.xml' \) -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "cachep: Maven (mvn) is needed to build; install it with: apt-get install -y maven" >&2
    exit 2
  fi
  echo "cachep: building (mvn -DskipTests install; a first build downloads dependencies)..." >&2
  # -B and style.color=never keep Maven's messages plain, but the Jansi 2.4 in Maven 3.8 still writes colour resets
  # (ESC[0m) to stdout and stderr, terminal or not, when Maven uninstalls it; only this JVM property stops that (as
  # a -D on the mvn command line it comes too late).
  (cd "$CACHEP_HOME" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" \
    mvn -B -q -Dstyle.color=never -DskipTests install) >&2
}

# Installs Debian's redis-server when it is missing and we are root; otherwise says exactly what to install.
cachep_require_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    return 0
  fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "cachep: redis-server not found; installing Debian's redis-server..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    # The package starts a system redis on 6379; devstack runs its own on a free port and needs none.
    (command -v systemctl >/dev/null 2>&1 && systemctl stop redis-server >/dev/null 2>&1) || true
  else
    echo "cachep: redis-server not found on PATH; install it with: sudo apt-get install -y redis-server" >&2
    exit 2
  fi
}

# cachep_run MODULE MAIN_CLASS [ARGS...]: runs the module's main class on its jar and copied dependencies.
cachep_run() {
  local module="$1" main="$2"
  shift 2
  cachep_build_if_needed "$module"
  # One logging configuration per launcher: logback.xml in the main class's package (io/cachep/demo/logback.xml for
  # io.cachep.demo.DemoMain), named here. None sits at the class path's root, where logback looks by itself: the
  # launchers' modules are also each other's libraries (the demo runs the projector and producer-demo from their
  # jars), so root files would meet on one class path, and logback, finding several, picks one and prints ~30 lines
  # of its own status first. A -Dlogback.configurationFile in CACHEP_JAVA_OPTS comes later and wins.
  local logback="${main%.*}"
  logback="${logback//.//}/logback.xml"
  # A launcher may name a collector for its work (CACHEP_DEFAULT_GC, set by bin/dlq-tool); one named in
  # CACHEP_JAVA_OPTS wins, and two would stop the JVM ("Conflicting collector combinations").
  local gc=""
  if [[ -n "${CACHEP_DEFAULT_GC:-}" && "${CACHEP_JAVA_OPTS:-}" != *"-XX:+Use"*"GC"* ]]; then
    gc="$CACHEP_DEFAULT_GC"
  fi
  # CACHEP_CLASSPATH adds your own jars, e.g. custom rules registered with ServiceLoader.
  exec java "-Dlogback.configurationFile=$logback" $gc ${CACHEP_JAVA_OPTS:-} -cp "$CACHEP_HOME/$module/target/$module.jar:$CACHEP_HOME/$module/target/lib/*${CACHEP_CLASSPATH:+:$CACHEP_CLASSPATH}" "$main" "$@"
}
