package dev.whoknows.frontend;

public final class Main {
    public static void main(String[] args) {
        io.javalin.Javalin.create().start(8080);
    }
}
