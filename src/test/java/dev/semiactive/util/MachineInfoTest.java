package dev.semiactive.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MachineInfoTest {
    // Two VMs that both call themselves "AMD EPYC" with the same extensions: Zen 4 (family 25) and Zen 5 (family 26)
    private static final String ZEN5 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 26
            model\t\t: 2
            model name\t: AMD EPYC
            stepping\t: 1
            flags\t\t: fpu sse2 avx2 fma avx512f avx512_vnni avx512_bf16 avx512_vp2intersect avx2
            processor\t: 1
            cpu family\t: 26
            """;

    @Test
    void namesFamilyModelKernelExtensionsAndCaches(@TempDir Path cache) throws IOException {
        cacheLevel(cache, 0, 1, "Data", "48K");
        cacheLevel(cache, 1, 1, "Instruction", "32K");
        cacheLevel(cache, 2, 2, "Unified", "1024K");
        cacheLevel(cache, 3, 3, "Unified", "32768K");
        assertThat(MachineInfo.describeCpu(ZEN5, cache, 2)).isEqualTo(
                "AMD EPYC, family 26 model 2, 2 cores, avx2 fma avx512f avx512_vnni avx512_bf16, L1d 48K L1i 32K L2 1024K L3 32768K");
    }

    @Test
    void twoGenerationsUnderOneModelNameAreTold(@TempDir Path cache) {
        String zen4 = ZEN5.replace("cpu family\t: 26", "cpu family\t: 25").replace("model\t\t: 2", "model\t\t: 17");
        assertThat(MachineInfo.describeCpu(zen4, cache, 2)).isNotEqualTo(MachineInfo.describeCpu(ZEN5, cache, 2))
                .startsWith("AMD EPYC, family 25 model 17, 2 cores");
    }

    @Test
    void whatCannotBeReadIsLeftOut(@TempDir Path tmp) {
        // no cache folder, no family lines: the line still names what is known, and nothing throws
        assertThat(MachineInfo.describeCpu("model name : Some CPU\nflags : sse2\n", tmp.resolve("absent"), 4))
                .isEqualTo("Some CPU, 4 cores");
        assertThat(MachineInfo.describeCpu("", tmp.resolve("absent"), 1)).isEqualTo("unknown CPU, 1 cores");
    }

    @Test
    void thisMachineIsDescribed() {
        assertThat(MachineInfo.cpu()).contains(Runtime.getRuntime().availableProcessors() + " cores");
    }

    private static void cacheLevel(Path cache, int index, int level, String type, String size) throws IOException {
        Path d = Files.createDirectories(cache.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
