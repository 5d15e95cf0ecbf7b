package dev.whoknows.stub;

public final class Main {
    public static void main(String[] args) {
        io.javalin.Javalin.create().start(5050);
    }
}
