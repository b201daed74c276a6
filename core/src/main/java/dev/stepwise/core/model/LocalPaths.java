package dev.stepwise.core.model;

import java.net.URI;
import java.nio.file.Path;

/** Storage locations on this machine's file system, written as a plain path or as a {@code file:} URI. */
public final class LocalPaths {
  private LocalPaths() {}

  /** Whether the location is on the local file system: no scheme with an authority, or {@code file:}. */
  public static boolean isLocal(String location) {
    return !location.contains("://") || location.startsWith("file:");
  }

  /** The path of a local location; a {@code file:} URI is decoded (so {@code %20} becomes a space). */
  public static Path of(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }
}
