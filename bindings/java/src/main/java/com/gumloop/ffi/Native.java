package com.gumloop.ffi;

import com.sun.jna.Library;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and loads libgumloop, once per class loader.
 *
 * <p>Where the library is looked for, in order (as the other bindings do):
 * <ol>
 *   <li>{@code GUMLOOP_FFI_LIBRARY} (or the system property {@code gumloop.ffi.library}): only
 *       that file is tried; an explicit choice is honoured or reported, never replaced;</li>
 *   <li>the copy bundled in the jar, at {@code linux-x86-64/libgumloop.so} on the class path
 *       (JNA's resource prefix for the platform), extracted by JNA;</li>
 *   <li>a development build of the checkout this package was compiled in: the newer of Cargo's
 *       {@code release} and {@code debug} outputs, under {@code CARGO_TARGET_DIR} when set
 *       (a relative one is taken from the checkout), else under the checkout's {@code target}.</li>
 * </ol>
 * The library must be the version this package was built for ({@link #bindingVersion()}).
 */
final class Native {
    /** The environment variable naming the library file to load. */
    static final String LIBRARY_ENV = "GUMLOOP_FFI_LIBRARY";
    /** The system property naming the library file to load (wins over the environment). */
    static final String LIBRARY_PROPERTY = "gumloop.ffi.library";

    private static final Map<String, Object> OPTIONS =
            Map.of(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name());

    private static volatile Native instance;

    /** The loaded library's functions. */
    final NativeLibrary lib;
    /** The C library's poll, pipe, read, write and close. */
    final LibC libc;
    /** Where the library was loaded from. */
    final String path;

    private Native(NativeLibrary lib, LibC libc, String path) {
        this.lib = lib;
        this.libc = libc;
        this.path = path;
    }

    /** The library, loaded on first use; an {@link UnsatisfiedLinkError} says where it looked. */
    static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    n = load();
                    instance = n;
                }
            }
        }
        return n;
    }

    private static Native load() {
        String path = locate();
        NativeLibrary lib = com.sun.jna.Native.load(path, NativeLibrary.class, OPTIONS);
        String version = lib.gumloop_version_get();
        String expected = bindingVersion();
        if (expected != null && !expected.equals(version)) {
            throw new UnsatisfiedLinkError("libgumloop " + version + " at " + path + " is not the version this package was built for ("
                    + expected + ")");
        }
        LibC libc = com.sun.jna.Native.load(Platform.C_LIBRARY_NAME, LibC.class);
        return new Native(lib, libc, path);
    }

    /** The library version this package was built for (from its build's properties), or null when unknown. */
    static String bindingVersion() {
        try (var in = Native.class.getResourceAsStream("gumloop-ffi.properties")) {
            if (in == null) {
                return null;
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    private static String locate() {
        String explicit = System.getProperty(LIBRARY_PROPERTY);
        String source = "system property " + LIBRARY_PROPERTY;
        if (explicit == null || explicit.isEmpty()) {
            explicit = System.getenv(LIBRARY_ENV);
            source = LIBRARY_ENV;
        }
        if (explicit != null && !explicit.isEmpty()) {
            if (!new File(explicit).isFile()) {
                throw new UnsatisfiedLinkError(source + " names '" + explicit + "', which is not a file");
            }
            return new File(explicit).getAbsolutePath();
        }
        List<String> tried = new ArrayList<>();
        String resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("gumloop");
        ClassLoader loader = Native.class.getClassLoader();
        if (loader != null && loader.getResource(resource) != null) {
            try {
                File extracted = com.sun.jna.Native.extractFromResourcePath("/" + resource, loader);
                return extracted.getAbsolutePath();
            } catch (IOException e) {
                throw new UnsatisfiedLinkError("cannot extract the bundled " + resource + ": " + e.getMessage());
            }
        }
        tried.add("class path resource " + resource);
        Path newest = null;
        for (Path candidate : developmentBuilds()) {
            if (!Files.isRegularFile(candidate)) {
                tried.add(candidate.toString());
            } else if (newest == null || modified(candidate) > modified(newest)) {
                newest = candidate;
            }
        }
        if (newest != null) {
            return newest.toAbsolutePath().toString();
        }
        throw new UnsatisfiedLinkError("libgumloop not found; set " + LIBRARY_ENV + " to its path. Tried: "
                + String.join(", ", tried));
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Cargo's release and debug outputs of the checkout holding this package's code, if any. */
    private static List<Path> developmentBuilds() {
        List<Path> out = new ArrayList<>();
        Path checkout = checkout();
        if (checkout == null) {
            return out;
        }
        String targetEnv = System.getenv("CARGO_TARGET_DIR");
        Path target = targetEnv == null || targetEnv.isEmpty()
                ? checkout.resolve("target") : checkout.resolve(targetEnv);
        String name = System.mapLibraryName("gumloop");
        out.add(target.resolve("release").resolve(name));
        out.add(target.resolve("debug").resolve(name));
        return out;
    }

    /** The nearest directory above this code's jar or class directory that holds the header. */
    private static Path checkout() {
        try {
            var source = Native.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            for (Path dir = Path.of(source.getLocation().toURI()).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("include").resolve("gumloop.h"))
                        && Files.isRegularFile(dir.resolve("Cargo.toml"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** Copies the string an out-parameter received and frees it; null when it is NULL. */
    String takeString(PointerByReference out) {
        Pointer p = out.getValue();
        if (p == null) {
            return null;
        }
        try {
            return p.getString(0, StandardCharsets.UTF_8.name());
        } finally {
            lib.gumloop_string_free(p);
        }
    }

    /** {@code text} as NUL-terminated UTF-8 (a NUL inside has been refused before). */
    static byte[] cString(String text) {
        return cBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 bytes with a NUL appended. */
    static byte[] cBytes(byte[] utf8) {
        byte[] out = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, out, 0, utf8.length);
        return out;
    }
}
