package io.cachep.rules.reference;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A {@link FencedEntry} as bytes, for a store that keeps entries off the heap. The first byte is the format, so a
 * store written by another release is refused rather than misread.
 */
public final class FencedEntryCodec {
    private static final byte FORMAT = 1;
    private static final EntrySnapshot.Type[] TYPES = EntrySnapshot.Type.values();

    private FencedEntryCodec() {}

    public static byte[] encode(FencedEntry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * (entry.hash.size() + entry.members.size()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(entry.version);
            out.writeLong(entry.expireAt);
            out.writeLong(entry.expireVersion);
            out.writeLong(entry.lastWriteMillis);
            out.writeByte(entry.type == null ? -1 : entry.type.ordinal());
            writeString(out, entry.string);
            out.writeInt(entry.hash.size());
            for (Map.Entry<String, String> field : entry.hash.entrySet()) {
                writeString(out, field.getKey());
                writeString(out, field.getValue());
            }
            out.writeInt(entry.members.size());
            for (Map.Entry<String, Double> member : entry.members.entrySet()) {
                writeString(out, member.getKey());
                out.writeDouble(member.getValue());
            }
            writeVersions(out, entry.fieldVersions);
            writeVersions(out, entry.memberVersions);
            out.writeInt(entry.tags.size());
            for (String tag : entry.tags) {
                writeString(out, tag);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static FencedEntry decode(byte[] bytes) {
        FencedEntry entry = new FencedEntry();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("an entry stored in format " + format + ", not " + FORMAT
                        + ": the state was written by another release of cachep; remove it to start over");
            }
            entry.version = in.readLong();
            entry.expireAt = in.readLong();
            entry.expireVersion = in.readLong();
            entry.lastWriteMillis = in.readLong();
            byte type = in.readByte();
            entry.type = type < 0 ? null : TYPES[type];
            entry.string = readString(in);
            for (int i = in.readInt(); i > 0; i--) {
                entry.hash.put(readString(in), readString(in));
            }
            for (int i = in.readInt(); i > 0; i--) {
                entry.members.put(readString(in), in.readDouble());
            }
            readVersions(in, entry.fieldVersions);
            readVersions(in, entry.memberVersions);
            for (int i = in.readInt(); i > 0; i--) {
                entry.tags.add(readString(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entry;
    }

    /**
     * About how many bytes of heap the entry takes, for a cache bounded in bytes, on the safe side. Counted from sizes
     * only (it runs on every write: walking a large set's members each time would cost more than the write), with
     * constants from a class histogram of a run holding 64,000 demo entries (about 1.7 KB each, five maps and a set per
     * entry, a map node, strings and boxed numbers per cell).
     */
    public static int weigh(FencedEntry entry) {
        return 640 + (entry.string == null ? 0 : 56 + 2 * entry.string.length())
                + 280 * entry.hash.size() + 220 * entry.members.size()
                + 140 * (entry.tags.size() + entry.fieldVersions.size() + entry.memberVersions.size());
    }

    private static void writeVersions(DataOutputStream out, Map<String, Long> versions) throws IOException {
        out.writeInt(versions.size());
        for (Map.Entry<String, Long> cell : versions.entrySet()) {
            writeString(out, cell.getKey());
            out.writeLong(cell.getValue());
        }
    }

    private static void readVersions(DataInputStream in, Map<String, Long> versions) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            versions.put(readString(in), in.readLong());
        }
    }

    /** writeUTF is limited to 64 KB; a value (a JSON document) may be larger. */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = in.readNBytes(length);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
}
