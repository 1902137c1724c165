package dev.semiactive.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the use-after-free of DJL's Number operands out of the training and model code (NdOps class
 * comment): a literal passed to mul/div/maximum/minimum/pow puts a tensor on a Java buffer that autograd
 * may read after the GC freed it. Such code must use {@link NdOps#scale} or {@link NdOps#scalar}.
 */
class NumberOperandScanTest {
    private static final Pattern NUMBER_OPERAND = Pattern.compile(
            "\\.(mul|div|maximum|minimum|pow|rdiv|rsub)\\(\\s*(\\((float|double|int|long)\\)\\s*)?-?[0-9][0-9.]*([eE]-?[0-9]+)?[fFdDlL]?\\s*\\)");

    @Test
    void trainingAndModelCodePassNoNumberLiteralToADifferentiableOp() throws IOException {
        List<String> found = new ArrayList<>();
        for (String pkg : List.of("train", "model", "bench")) {
            Path dir = Path.of("src/main/java/dev/semiactive", pkg);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) continue;
                        if (NUMBER_OPERAND.matcher(line).find()) found.add(f + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(found).as("use NdOps.scale / NdOps.scalar instead of a number operand").isEmpty();
    }

    @Test
    void thePatternCatchesTheForms() {
        for (String bad : List.of("x.mul(2f)", "x.maximum(0f)", "t.div(1e-12f)", "t.mul((float) 3)", "t.pow(2)"))
            assertThat(NUMBER_OPERAND.matcher(bad).find()).as(bad).isTrue();
        for (String ok : List.of("x.mul(weight)", "x.maximum(NdOps.scalar(x, 0))", "Math.pow(2, 3)"))
            assertThat(NUMBER_OPERAND.matcher(ok).find()).as(ok).isFalse();
    }
}
