"""Which JDK a run starts on, by bin/stepwise's rule, for every part of the bench (one rule, one place)."""

import os

JDK25_HOMES = (os.environ.get("STEPWISE_JAVA25_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64")


def jdk25_home(choice=""):
    """STEPWISE_JAVA's rule: "17" keeps JDK 17 (None); else the first JDK 25 there is, or None."""
    if choice == "17":
        return None
    return next((home for home in JDK25_HOMES if home and os.access(os.path.join(home, "bin", "java"), os.X_OK)), None)
