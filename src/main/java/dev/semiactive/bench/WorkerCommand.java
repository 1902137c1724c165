package dev.semiactive.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * The Java worker: runs one mode in this (fresh) process and prints its {@link ModeResult} as one JSON line,
 * like {@code torch_peer.py}. One process per mode keeps each peak-memory figure to that mode alone.
 */
@Command(name = "worker", hidden = true, description = "Run one benchmark mode in this process and print JSON.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--mode", required = true, description = "train, tsf, score or pool")
    String mode;

    @Option(names = "--pool-images", defaultValue = "100")
    int poolImages;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        ModeResult r = ModeRunner.run(BenchMode.fromId(mode), options.settings(), poolImages);
        System.out.println(new ObjectMapper().writeValueAsString(r));
        System.out.flush();
        return 0;
    }
}
