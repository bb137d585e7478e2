package io.cachep.dlqtool.verify.share;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What the splitting processor sends the shares through the run's repartition topic, as bytes. An event travels as
 * the log record it came in (topic, key, value, headers, timestamp), not as mutations: the share projects it again with
 * the same pure rules and folds what belongs to it, so no mutation needs a wire format of its own.
 *
 * <ul>
 *   <li>{@link Kind#ENTRY}: the event, for the entry named by the repartition key (one message per entry it writes);
 *   <li>{@link Kind#TAGS}: the event, for its tag invalidations, to every share;
 *   <li>{@link Kind#END}: a source partition's last record in the run's range has been sent, to every share.
 * </ul>
 */
record ShareMessage(Kind kind, String topic, byte[] key, byte[] value, Headers headers, long timestamp, String source) {
    enum Kind { ENTRY, TAGS, END }

    private static final byte FORMAT = 1;
    private static final Kind[] KINDS = Kind.values();

    static ShareMessage event(Kind kind, String topic, byte[] key, byte[] value, Headers headers, long timestamp) {
        return new ShareMessage(kind, topic, key, value, headers, timestamp, null);
    }

    static ShareMessage end(String sourcePartition) {
        return new ShareMessage(Kind.END, null, null, null, null, 0, sourcePartition);
    }

    /** The kind of an encoded message, without decoding the rest (for the partitioner). */
    static Kind kindOf(byte[] encoded) {
        return KINDS[encoded[1]];
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (value == null ? 0 : value.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(kind.ordinal());
            if (kind == Kind.END) {
                out.writeUTF(source);
                return finish(out, bytes);
            }
            out.writeUTF(topic);
            out.writeLong(timestamp);
            writeBytes(out, key);
            writeBytes(out, value);
            Header[] all = headers == null ? new Header[0] : headers.toArray();
            out.writeInt(all.length);
            for (Header header : all) {
                out.writeUTF(header.key());
                writeBytes(out, header.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] finish(DataOutputStream out, ByteArrayOutputStream bytes) throws IOException {
        out.flush();
        return bytes.toByteArray();
    }

    static ShareMessage decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("a share message of format " + format + " (this release reads " + FORMAT
                        + "): every process of a run must run the same release");
            }
            Kind kind = KINDS[in.readByte()];
            if (kind == Kind.END) {
                return end(in.readUTF());
            }
            String topic = in.readUTF();
            long timestamp = in.readLong();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            int count = in.readInt();
            RecordHeaders headers = new RecordHeaders();
            for (int i = 0; i < count; i++) {
                headers.add(in.readUTF(), readBytes(in));
            }
            return event(kind, topic, key, value, headers, timestamp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
