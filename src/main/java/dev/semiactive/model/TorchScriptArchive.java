package dev.semiactive.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module with no parameters, written in memory from its source: the zip libtorch's
 * {@code torch::jit::load} reads ({@code code/__torch__.py}, {@code data.pkl}, {@code constants.pkl},
 * {@code version}). So the operators DJL lacks ({@link ScriptedOp}) are readable code in this repository,
 * not binary files, and nothing needs Python to build them.
 *
 * <p>{@code data.pkl} is the module object: a protocol-2 pickle of {@code __torch__.<Class>} built with the
 * one attribute a scripted module needs, {@code training = True}.
 */
final class TorchScriptArchive {
    /** The serialization format version libtorch 1.13-2.7 read and write for such modules. */
    private static final String VERSION = "3\n";

    private TorchScriptArchive() {
    }

    /**
     * @param className the module's class in {@code __torch__} (e.g. "ReLU6")
     * @param code      the TorchScript source of {@code code/__torch__.py}, defining that class
     */
    static byte[] build(String className, String code) {
        String root = className.toLowerCase() + "/";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, root + "data.pkl", modulePickle(className));
            stored(zip, root + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // PROTO 2, EMPTY_TUPLE, STOP
            stored(zip, root + "version", VERSION.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** PROTO 2; GLOBAL __torch__ className; EMPTY_TUPLE NEWOBJ; {"training": True} BUILD; STOP. */
    static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write(')');   // EMPTY_TUPLE
        p.write(0x81);  // NEWOBJ
        p.write('}');   // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X');   // BINUNICODE: 4-byte little-endian length, then the bytes
        p.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        p.writeBytes(key);
        p.write(0x88);  // NEWTRUE
        p.write('s');   // SETITEM
        p.write('b');   // BUILD
        p.write('.');   // STOP
        return p.toByteArray();
    }

    /** libtorch's zip reader wants uncompressed entries. */
    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
