package dev.whoknows.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The build's console as seen from a test JVM. Surefire captures System.out and System.err (into
 * target/surefire-reports/*-output.txt with redirectTestOutputToFile), but it copies the forked JVM's native
 * standard error to Maven's console as it is: that is where the WARN lines must go to be seen.
 */
final class Console {

    private Console() {}

    static PrintStream stream() {
        return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }
}
