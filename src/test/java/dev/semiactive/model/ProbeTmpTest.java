package dev.semiactive.model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import dev.semiactive.util.ResidentMemory;
import org.junit.jupiter.api.Test;
class ProbeTmpTest {
  @Test void probe() {
    String variant = System.getProperty("variant", "eval");
    try (NDManager m = NDManager.newBaseManager()) {
      ModelSpec spec = ModelSpec.mobileNetV2(0.5, 3, 4);
      Block block = Networks.deeplab(spec);
      Networks.initializeDeepLab(block, m, spec, 8);
      StringBuilder sb = new StringBuilder(variant + ":");
      for (int i = 0; i < 16; i++) {
        try (NDManager step = m.newSubManager()) {
          NDArray x = step.randomUniform(0, 1, new Shape(2, 3, 64, 64));
          if (variant.equals("eval")) {
            Networks.forward(block, x, false);
          } else if (variant.equals("train")) {
            Networks.forward(block, x, true);
          } else {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDList out = Networks.forward(block, x, true);
              if (variant.equals("bwd") || variant.equals("bwdzero")) gc.backward(out.get(0).mean());
              if (variant.equals("bwdzero")) gc.zeroGradients();
            }
          }
        }
        sb.append(String.format(" %.0f", ResidentMemory.currentMiB()));
      }
      System.out.println(sb);
    }
  }
}
