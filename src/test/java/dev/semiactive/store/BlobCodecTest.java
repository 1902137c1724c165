package dev.semiactive.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobCodecTest {
    @Property(tries = 60)
    void sparseRoundTrips(@ForAll @IntRange(min = 1, max = 2000) int n, @ForAll long seed) {
        Random rnd = new Random(seed);
        int[] px = new int[n];
        int[] v = new int[n];
        int p = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            px[i] = p;
            v[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 3;
            p += rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(40) : 1;
        }
        BlobCodec.Sparse s = BlobCodec.decodeSparse(BlobCodec.encodeSparse(px, v));
        assertThat(s.pixels()).containsExactly(px);
        assertThat(s.values()).containsExactly(v);
        int[] mask = new int[p + 1];
        Arrays.fill(mask, -7);
        BlobCodec.decodeSparseInto(BlobCodec.encodeSparse(px, v), mask);
        for (int i = 0; i < n; i++) assertThat(mask[px[i]]).isEqualTo(v[i]);
        assertThat(Arrays.stream(mask).filter(x -> x == -7).count()).isEqualTo(mask.length - n);
    }

    @Test
    void denseAndBitsRoundTripAndCompress() {
        int[] map = new int[360 * 480];
        for (int i = 0; i < map.length; i++) map[i] = (i / 480 / 16) * 30 + (i % 480) / 16;
        byte[] blob = BlobCodec.encodeDense(map);
        assertThat(BlobCodec.decodeDense(blob)).containsExactly(map);
        assertThat(blob.length).isLessThan(map.length / 20);
        BitSet bits = new BitSet();
        bits.set(3);
        bits.set(1000, 1200);
        assertThat(BlobCodec.decodeBits(BlobCodec.encodeBits(bits))).isEqualTo(bits);
    }

    @Test
    void emptyPayloadsRoundTrip() {
        // an image whose PLAR left no pixel undecided stores an empty bit set (found on real CamVid)
        assertThat(BlobCodec.decodeBits(BlobCodec.encodeBits(new BitSet())).isEmpty()).isTrue();
        assertThat(BlobCodec.decodeDense(BlobCodec.encodeDense(new int[0]))).isEmpty();
        byte[] blob = BlobCodec.encodeDense(new int[]{1, 1, 2});
        assertThatThrownBy(() -> BlobCodec.decodeDense(Arrays.copyOf(blob, blob.length - 2))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("truncated blob");
    }

    @Test
    void corruptBlobIsRejected() {
        assertThatThrownBy(() -> BlobCodec.decodeDense(new byte[]{1, 2, 3})).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("corrupt blob: incorrect header check");
    }
}
