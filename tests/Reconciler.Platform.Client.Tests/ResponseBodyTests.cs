using System.Text;

namespace Reconciler.Platform.Client.Tests;

public sealed class ResponseBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(300_000)]
    public async Task A_body_of_unknown_length_is_read_whole_however_long_it_is(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
        using var content = new StreamContent(new OneWayStream(bytes));

        using var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        body.Utf8.ToArray().Should().Equal(bytes);
        body.IsBlank.Should().Be(length == 0);
    }

    [Fact]
    public async Task A_byte_order_mark_is_not_part_of_the_json()
    {
        using var content = new ByteArrayContent([.. "\uFEFF"u8, .. " {}"u8]);

        using var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        Encoding.UTF8.GetString(body.Utf8.Span).Should().Be(" {}");
    }

    [Fact]
    public async Task A_disposed_body_can_no_longer_be_read()
    {
        using var content = new StringContent("{}");
        var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        body.Dispose();
        body.Dispose();

        var read = () => body.Utf8;
        read.Should().Throw<ObjectDisposedException>();
    }

    /// <summary>A stream that cannot tell its length, as a chunked answer read from the network.</summary>
    private sealed class OneWayStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
