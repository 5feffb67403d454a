#!/usr/bin/env python3
"""Writes the email corpus (*.eml) and expected.json in this directory.

Every message is written out below the way the named client sends it; this script only
does the byte-level encoding (ISO-2022-JP, Shift_JIS, EUC-KR, windows-1258, base64,
quoted-printable) that cannot be typed into a text file, and keeps each message next to
what parsing it must give. Run it again after editing; the output is deterministic.

Expectation keys (tests/adapters/mime_test.cc reads them): subject, from, from_name, to,
text_contains, text_not_contains, html_contains, html_not_contains, attachments (name,
type, size, and optionally inline, content_id), message_id, in_reply_to, references,
date (ms since the epoch), headers ({name: value}), warnings_contain, no_warnings, nfc,
error, cc, cc_names, reply_to, references_count/first/last, attachments_count, and intent
(new, reply, forward, auto-reply, bounce, bulk) for the ingest tests.
"""
import base64
import email.utils
import json
import os
import quopri
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
corpus = []  # (file name, bytes, expectation)


# ---- encodings ----------------------------------------------------------------------

def iso2022jp(text):
    """ISO-2022-JP as Windows clients write it (CP50220): JIS X 0208 plus NEC row 13 (①, ㈱)."""
    out = bytearray()
    mode = 'ascii'
    for ch in text:
        if ord(ch) < 0x80:
            if mode != 'ascii':
                out += b'\x1b(B'
                mode = 'ascii'
            out += ch.encode('ascii')
            continue
        b1, b2 = ch.encode('cp932')
        if b1 >= 0xE0:
            b1 -= 0x40
        j1 = (b1 - 0x81) * 2 + 0x21
        if b2 >= 0x9F:
            j1 += 1
            j2 = b2 - 0x9F + 0x21
        else:
            j2 = b2 - 0x40 + 0x21 - (1 if b2 > 0x7F else 0)
        if mode != 'jis':
            out += b'\x1b$B'
            mode = 'jis'
        out += bytes([j1, j2])
    if mode != 'ascii':
        out += b'\x1b(B'
    return bytes(out)


def cp1258(text):
    """windows-1258 as Vietnamese Windows writes it: precomposed base letters (â, ơ, ư…)
    followed by combining tone marks."""
    tones = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}
    out = b''
    for ch in text:
        try:
            out += ch.encode('cp1258')
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize('NFD', ch)
        base = unicodedata.normalize('NFC', ''.join(c for c in d if c not in tones))
        out += base.encode('cp1258') + ''.join(c for c in d if c in tones).encode('cp1258')
    return out


def encode(text, charset):
    if charset.lower() in ('iso-2022-jp',):
        return iso2022jp(text)
    if charset.lower() == 'windows-1258':
        return cp1258(text)
    codec = {'shift_jis': 'cp932', 'ks_c_5601-1987': 'cp949', 'euc-kr': 'cp949', 'euc-jp': 'euc_jp'}.get(
        charset.lower(), charset)
    return text.encode(codec)


def word_b(data, charset):
    return '=?%s?B?%s?=' % (charset, base64.b64encode(data).decode())


def words_b(text, charset, pieces=1):
    """`text` as `pieces` self-contained B encoded-words, folded onto lines of their own."""
    size = -(-len(text) // pieces)
    chunks = [text[i:i + size] for i in range(0, len(text), size)]
    return '\n '.join(word_b(encode(c, charset), charset) for c in chunks)


def words_b_split_bytes(text, charset, cuts):
    """One byte stream cut at byte offsets into words: a word may end inside a multi-byte
    character or in the middle of an ISO-2022-JP escape state (old Japanese clients do)."""
    data = encode(text, charset)
    bounds = [0] + cuts + [len(data)]
    return '\n '.join(word_b(data[a:b], charset) for a, b in zip(bounds, bounds[1:]))


def word_q(text, charset):
    data = encode(text, charset)
    out = ''
    for byte in data:
        c = chr(byte)
        if c == ' ':
            out += '_'
        elif c.isalnum() and byte < 0x80:
            out += c
        else:
            out += '=%02X' % byte
    return '=?%s?Q?%s?=' % (charset, out)


def qp(data):
    return quopri.encodestring(data).replace(b'\r\n', b'\n')


def b64(data):
    return base64.encodebytes(data)


def rfc2231(name, value, charset='UTF-8', pieces=1):
    data = value.encode('utf-8') if charset.upper() == 'UTF-8' else encode(value, charset)
    pct = ''.join(chr(b) if (chr(b).isalnum() and b < 0x80) or chr(b) in '.-_' else '%%%02X' % b for b in data)
    if pieces == 1:
        return "%s*=%s''%s" % (name, charset, pct)
    size = -(-len(pct) // pieces)
    chunks = []
    i = 0
    while i < len(pct):
        j = min(i + size, len(pct))
        while j < len(pct) and '%' in pct[j - 2:j]:  # never split a %XX escape
            j += 1
        chunks.append(pct[i:j])
        i = j
    parts = []
    for idx, chunk in enumerate(chunks):
        prefix = "%s''" % charset if idx == 0 else ''
        parts.append('%s*%d*=%s%s' % (name, idx, prefix, chunk))
    return ';\n '.join(parts)


# ---- message building -----------------------------------------------------------------

def headers_bytes(headers):
    out = b''
    for name, value in headers:
        if isinstance(value, bytes):
            out += name.encode() + b': ' + value + b'\n'
        else:
            out += (name + ': ' + value + '\n').encode('utf-8')
    return out


def entity(headers, body):
    return headers_bytes(headers) + b'\n' + body


def multipart(boundary, parts, preamble=b'', epilogue=b'', close=True, delimiter=None):
    delimiter = delimiter or boundary
    out = preamble
    for part in parts:
        out += b'--' + delimiter.encode() + b'\n' + part
        if not part.endswith(b'\n'):
            out += b'\n'
    if close:
        out += b'--' + delimiter.encode() + b'--\n'
    return out + epilogue


def add(name, headers, body, expect, crlf=True):
    data = headers_bytes(headers) + b'\n' + body
    if crlf:
        data = re.sub(rb'\r?\n', b'\r\n', data)
    expect = dict(expect)
    expect['file'] = name
    corpus.append((name, data, expect))


def add_raw(name, data, expect):
    expect = dict(expect)
    expect['file'] = name
    corpus.append((name, data, expect))


SUPPORT = 'Kizuna Support <support@kizuna.example>'
DATE = 'Fri, 20 Nov 2026 10:00:00 +0900'


def ms(date):
    return int(email.utils.parsedate_to_datetime(date).timestamp() * 1000)


DATE_MS = ms(DATE)

EN = ('Hi,\n\nI ordered a kettle last week (order 4471) and it still hasn\'t arrived.\n'
      'Could you check the delivery status?\n\nThanks,\nAna Silva\n')
JA = ('お世話になっております。\n先日注文した商品（注文番号：12345）がまだ届いておりません。\n'
      '配送状況を確認していただけますでしょうか。\nよろしくお願いいたします。\n山田太郎\n')
KO = ('안녕하세요.\n지난주에 주문한 상품(주문번호 12345)이 아직 도착하지 않았습니다.\n'
      '배송 상황을 확인해 주실 수 있을까요?\n감사합니다.\n김민준\n')
VI = ('Xin chào,\nTôi đã đặt hàng tuần trước (mã đơn 12345) nhưng vẫn chưa nhận được.\n'
      'Vui lòng kiểm tra giúp tôi tình trạng giao hàng.\nCảm ơn,\nNguyễn Thị Hồng Nhung\n')

PNG = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010806000000'
                    '1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f7a3b30000000049454e44ae426082')
JPEG = bytes.fromhex('ffd8ffe000104a46494600010100000100010000ffdb004300') + bytes(range(64)) + bytes.fromhex(
    'ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffda0008'
    '010100003f00d2cf20ffd9')
PDF = (b'%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] '
       b'/Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
XLSX = b'PK\x03\x04\x14\x00\x06\x00' + bytes(range(200)) + b'PK\x05\x06' + bytes(18)


def html_of(text):
    paragraphs = text.strip().split('\n\n')
    return ''.join('<p>' + p.replace('&', '&amp;').replace('<', '&lt;').replace('\n', '<br>\n') + '</p>\n'
                   for p in paragraphs)


def alternative(boundary, text, html, charset='UTF-8', text_cte='quoted-printable', html_cte='quoted-printable'):
    def body(content, cte):
        data = encode(content, charset)
        if cte == 'quoted-printable':
            return qp(data)
        if cte == 'base64':
            return b64(data)
        return data
    return multipart(boundary, [
        entity([('Content-Type', 'text/plain; charset="%s"' % charset), ('Content-Transfer-Encoding', text_cte)],
               body(text, text_cte)),
        entity([('Content-Type', 'text/html; charset="%s"' % charset), ('Content-Transfer-Encoding', html_cte)],
               body(html, html_cte)),
    ])


def attachment(name_params, content_type, data, disposition='attachment', extra=()):
    """`name_params`: the text after the type (e.g. '; name="a.pdf"') and the disposition parameters."""
    ct_params, cd_params = name_params
    return entity([('Content-Type', content_type + ct_params), ('Content-Disposition', disposition + cd_params),
                   ('Content-Transfer-Encoding', 'base64')] + list(extra), b64(data))


def raw_size(data, crlf):
    """The size of a part written unencoded: the line end before the next delimiter is not content."""
    return len(data) + data.count(b'\n') - 2 if crlf else len(data) - 1


def simple_name(name):
    return ('; name="%s"' % name, '; filename="%s"' % name)


# ---- replies from the clients agents hear from ----------------------------------------------

def gmail_plain_en():
    text = EN
    add('001-gmail-plain-en.eml', [
        ('MIME-Version', '1.0'), ('Date', DATE), ('Message-ID', '<CAF=8x7Q1mJr+Yx@mail.gmail.com>'),
        ('Subject', 'Where is my order?'), ('From', 'Ana Silva <ana.silva@gmail.com>'), ('To', SUPPORT),
        ('Content-Type', 'multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"'),
    ], alternative('000000000000a1b2c3d4e5f60718', text, '<div dir="ltr">' + html_of(text) + '</div>'), {
        'subject': 'Where is my order?', 'from': 'ana.silva@gmail.com', 'from_name': 'Ana Silva',
        'to': ['support@kizuna.example'], 'message_id': 'CAF=8x7Q1mJr+Yx@mail.gmail.com', 'date': DATE_MS,
        'text_contains': ['order 4471', "it still hasn't arrived"], 'html_contains': ['<p>Hi,</p>'],
        'attachments': [], 'intent': 'new', 'no_warnings': True,
    })


def gmail_reply_en():
    text = ('Thanks, the tracking number works now.\n\n'
            'On Fri, Nov 20, 2026 at 10:00 AM Kizuna Support <support@kizuna.example> wrote:\n\n'
            '> Hello Ana,\n>\n> Your refund for order 4471 has been approved.\n>\n> Kizuna Support\n')
    html = ('<div dir="ltr">Thanks, the tracking number works now.</div><br><div class="gmail_quote">'
            '<div dir="ltr" class="gmail_attr">On Fri, Nov 20, 2026 at 10:00 AM Kizuna Support &lt;'
            '<a href="mailto:support@kizuna.example">support@kizuna.example</a>&gt; wrote:<br></div>'
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204)">'
            'Hello Ana,<br><br>Your refund for order 4471 has been approved.<br><br>Kizuna Support</blockquote></div>')
    add('002-gmail-reply-en.eml', [
        ('MIME-Version', '1.0'), ('References', '<ticket-123.1@kizuna.example> <ticket-123.2@kizuna.example>'),
        ('In-Reply-To', '<ticket-123.2@kizuna.example>'), ('From', 'Ana Silva <ana.silva@gmail.com>'),
        ('Date', 'Fri, 20 Nov 2026 11:02:13 +0000'), ('Message-ID', '<CAF=reply.2@mail.gmail.com>'),
        ('Subject', 'Re: [#123] Refund for order 4471'), ('To', SUPPORT),
        ('Content-Type', 'multipart/alternative; boundary="0000000000009f8e7d6c5b4a3921"'),
    ], alternative('0000000000009f8e7d6c5b4a3921', text, html), {
        'subject': 'Re: [#123] Refund for order 4471', 'from': 'ana.silva@gmail.com',
        'in_reply_to': 'ticket-123.2@kizuna.example',
        'references': ['ticket-123.1@kizuna.example', 'ticket-123.2@kizuna.example'],
        'text_contains': ['tracking number works', 'wrote:', '> Your refund'],
        'html_contains': ['<blockquote>', 'href="mailto:support@kizuna.example"'],
        'html_not_contains': ['style='], 'date': ms('Fri, 20 Nov 2026 11:02:13 +0000'), 'intent': 'reply',
    })


def outlook_reply_en():
    text = ('Hi,\n\nI\u2019m still waiting for the corrected invoice \u2013 could you resend it?\n\n'
            'Regards,\nTom\n\n'
            'From: Kizuna Support <support@kizuna.example>\nSent: Friday, November 20, 2026 10:00 AM\n'
            'To: Tom Baker <tom.baker@contoso.example>\nSubject: [#124] Invoice question\n\n'
            'Dear Tom,\nWe have received your question about invoice INV-2026-118.\n')
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" '
            'content="text/html; charset=windows-1252"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>'
            '<body lang="EN-GB" link="#0563C1"><div class="WordSection1"><p class="MsoNormal">Hi,<o:p></o:p></p>'
            '<p class="MsoNormal">I\u2019m still waiting for the corrected invoice \u2013 could you resend it?'
            '<o:p></o:p></p><p class="MsoNormal">Regards,<br>Tom<o:p></o:p></p>'
            '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal"><b>From:</b> '
            'Kizuna Support &lt;support@kizuna.example&gt;<br><b>Sent:</b> Friday, November 20, 2026 10:00 AM'
            '</p></div></div></body></html>')
    add('003-outlook-reply-en.eml', [
        ('From', 'Tom Baker <tom.baker@contoso.example>'), ('To', 'Kizuna Support <support@kizuna.example>'),
        ('Subject', 'RE: [#124] Invoice question'), ('Thread-Topic', '[#124] Invoice question'),
        ('Thread-Index', 'AQHZ1x2Yk3bq8s7LJ0CqZ2gW5Nqz3A=='), ('Date', 'Fri, 20 Nov 2026 12:15:40 +0000'),
        ('Message-ID', '<DB9PR04MB8235A1B2C3D4E5F6A7B8C9D0E1F2@DB9PR04MB8235.eurprd04.prod.outlook.com>'),
        ('References', '<ticket-124.1@kizuna.example>'), ('In-Reply-To', '<ticket-124.1@kizuna.example>'),
        ('Accept-Language', 'en-GB, en-US'), ('Content-Language', 'en-US'),
        ('Content-Type', 'multipart/alternative;\n\tboundary="_000_DB9PR04MB8235A1B2C3D4E5F6_"'),
        ('MIME-Version', '1.0'),
    ], alternative('_000_DB9PR04MB8235A1B2C3D4E5F6_', text, html, charset='windows-1252'), {
        'subject': 'RE: [#124] Invoice question', 'from': 'tom.baker@contoso.example', 'from_name': 'Tom Baker',
        'in_reply_to': 'ticket-124.1@kizuna.example',
        'text_contains': ['I\u2019m still waiting', 'invoice \u2013 could', 'Sent: Friday, November 20, 2026'],
        'html_contains': ['<b>From:</b>'], 'html_not_contains': ['<style', 'MsoNormal', 'p.MsoNormal'],
        'intent': 'reply',
    })


def outlook_original_message_en():
    text = ('Please ignore my last message, the password reset worked.\n\nBest,\nRen\u00e9e\n\n'
            '-----Original Message-----\nFrom: Kizuna Support [mailto:support@kizuna.example]\n'
            'Sent: Friday, November 20, 2026 9:12 AM\nTo: Ren\u00e9e Dupont\nSubject: [#125] Password reset\n\n'
            'Bonjour Ren\u00e9e, use the link below to reset your password. Caf\u00e9 cr\u00e8me.\n')
    add('004-outlook-original-message-en.eml', [
        ('Return-Path', '<renee.dupont@example.fr>'), ('From', '"Dupont, Ren\u00e9e" <renee.dupont@example.fr>'.encode('latin-1')),
        ('To', '<support@kizuna.example>'), ('Subject', 'RE: [#125] Password reset'),
        ('Date', 'Fri, 20 Nov 2026 09:30:00 +0100'), ('Message-ID', '<000001d9a1b2$c3d4e5f0$6b7a8c9d@example.fr>'),
        ('In-Reply-To', '<ticket-125.1@kizuna.example>'), ('X-Mailer', 'Microsoft Outlook 14.0'),
        ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset="iso-8859-1"'),
        ('Content-Transfer-Encoding', '8bit'),
    ], text.encode('latin-1'), {
        'subject': 'RE: [#125] Password reset', 'from': 'renee.dupont@example.fr', 'from_name': 'Dupont, Ren\u00e9e',
        'text_contains': ['-----Original Message-----', 'Ren\u00e9e', 'Caf\u00e9 cr\u00e8me'],
        'in_reply_to': 'ticket-125.1@kizuna.example',
        'headers': {'return-path': '<renee.dupont@example.fr>'}, 'intent': 'reply',
    }, crlf=False)


def apple_mail_reply_en():
    text = ('The kettle arrived with a cracked lid, photo attached.\n\nSam\n\n'
            '> On 20 Nov 2026, at 10:00, Kizuna Support <support@kizuna.example> wrote:\n> \n'
            '> Hello Sam, is there anything else we can help with?\n')
    html = ('<html><head><meta http-equiv="content-type" content="text/html; charset=us-ascii"></head>'
            '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space;">The kettle arrived with a cracked '
            'lid, photo attached.<div><br></div><div>Sam</div><div><br><blockquote type="cite"><div>On 20 Nov 2026, '
            'at 10:00, Kizuna Support &lt;support@kizuna.example&gt; wrote:</div><br>'
            '<div>Hello Sam, is there anything else we can help with?</div></blockquote></div></body></html>')
    alt = multipart('Apple-Mail=_4B2D9E8A-0C3F-4D61-9B1E-7A5C2F8D0E13', [
        entity([('Content-Transfer-Encoding', '7bit'), ('Content-Type', 'text/plain;\n\tcharset=us-ascii')],
               text.encode()),
        entity([('Content-Transfer-Encoding', 'quoted-printable'), ('Content-Type', 'text/html;\n\tcharset=us-ascii')],
               qp(html.encode())),
    ])
    mixed = multipart('Apple-Mail=_9E1F3B2C-5D47-4A8E-8C6B-1F0A3D2E4B57', [
        entity([('Content-Type', 'multipart/alternative;\n\tboundary="Apple-Mail=_4B2D9E8A-0C3F-4D61-9B1E-7A5C2F8D0E13"')],
               alt),
        attachment(('; x-unix-mode=0644;\n\tname="IMG_2041.jpeg"', ';\n\tfilename=IMG_2041.jpeg'), 'image/jpeg',
                   JPEG, disposition='inline'),
    ])
    add('005-apple-mail-reply-en.eml', [
        ('From', 'Sam Lee <sam.lee@icloud.com>'), ('Content-Type',
         'multipart/mixed;\n\tboundary="Apple-Mail=_9E1F3B2C-5D47-4A8E-8C6B-1F0A3D2E4B57"'),
        ('Mime-Version', '1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))'), ('Subject', 'Re: [#126] Damaged item'),
        ('Date', 'Fri, 20 Nov 2026 10:20:31 +0000'), ('References', '<ticket-126.1@kizuna.example>'),
        ('To', SUPPORT), ('In-Reply-To', '<ticket-126.1@kizuna.example>'),
        ('Message-Id', '<6F1C2A8E-3B4D-4E5F-9A0B-1C2D3E4F5A6B@icloud.com>'), ('X-Mailer', 'Apple Mail (2.3774.600.62)'),
    ], mixed, {
        'subject': 'Re: [#126] Damaged item', 'from': 'sam.lee@icloud.com',
        'message_id': '6F1C2A8E-3B4D-4E5F-9A0B-1C2D3E4F5A6B@icloud.com',
        'text_contains': ['cracked lid', '> On 20 Nov 2026, at 10:00, Kizuna Support'],
        'attachments': [{'name': 'IMG_2041.jpeg', 'type': 'image/jpeg', 'size': len(JPEG), 'inline': True}],
        'html_contains': ['<blockquote>'], 'html_not_contains': ['style='], 'intent': 'reply',
    })


def thunderbird_reply_en():
    flowed = ('Hello,\n\nthanks for the quick answer. I tried the steps you sent but the app still shows \n'
              'the error "sync failed" after the update to version 4.2 on my laptop.\n\n'
              'On 20/11/2026 10:00, Kizuna Support wrote:\n> Please sign out and sign in again, then \n'
              '> tell us whether the error comes back.\n\n-- \nMarta Nowak\n')
    add('006-thunderbird-reply-en.eml', [
        ('Message-ID', '<5b3c1d2e-8f9a-4b0c-a1d2-e3f4a5b6c7d8@posteo.example>'),
        ('Date', 'Fri, 20 Nov 2026 11:45:12 +0100'), ('MIME-Version', '1.0'),
        ('User-Agent', 'Mozilla Thunderbird'), ('Subject', 'Re: [#133] Sync failed after update'),
        ('Content-Language', 'en-GB'), ('To', 'Kizuna Support <support@kizuna.example>'),
        ('References', '<ticket-133.1@kizuna.example>'), ('From', 'Marta Nowak <marta@posteo.example>'),
        ('In-Reply-To', '<ticket-133.1@kizuna.example>'),
        ('Content-Type', 'text/plain; charset=UTF-8; format=flowed'), ('Content-Transfer-Encoding', '7bit'),
    ], flowed.encode(), {
        'subject': 'Re: [#133] Sync failed after update', 'from': 'marta@posteo.example',
        'text_contains': ['app still shows the error "sync failed"', '> Please sign out and sign in again, then tell us',
                          'On 20/11/2026 10:00, Kizuna Support wrote:'],
        'in_reply_to': 'ticket-133.1@kizuna.example', 'intent': 'reply',
    }, crlf=False)


def yahoo_japan_reply_ja():
    subject = 'Re: [#127] 【お問い合わせ】注文番号12345の配送状況について'
    text = ('ご連絡ありがとうございます。\n本日無事に届きました。\n\n'
            '----- Original Message -----\nFrom: Kizuna サポート <support@kizuna.example>\n'
            'To: taro_yamada@yahoo.co.jp\nDate: 2026/11/20 金 10:00\n'
            'Subject: [#127] 【お問い合わせ】注文番号12345の配送状況について\n\n'
            '> 山田様\n> 商品は本日発送いたしました。\n')
    add('007-yahoo-japan-reply-ja.eml', [
        ('Return-Path', '<taro_yamada@yahoo.co.jp>'), ('Date', 'Fri, 20 Nov 2026 12:34:56 +0900 (JST)'),
        ('From', word_b(iso2022jp('山田太郎'), 'ISO-2022-JP') + ' <taro_yamada@yahoo.co.jp>'),
        ('Reply-To', 'taro_yamada@yahoo.co.jp'), ('To', SUPPORT),
        ('Message-ID', '<20261120123456.12345.qm@web101.mail.kks.yahoo.co.jp>'),
        ('In-Reply-To', '<ticket-127.1@kizuna.example>'), ('References', '<ticket-127.1@kizuna.example>'),
        ('Subject', words_b(subject, 'ISO-2022-JP', 3)), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=iso-2022-jp'), ('Content-Transfer-Encoding', '7bit'),
        ('X-Mailer', 'Yahoo! Mail - Web'),
    ], iso2022jp(text), {
        'subject': subject, 'from': 'taro_yamada@yahoo.co.jp', 'from_name': '山田太郎',
        'text_contains': ['本日無事に届きました', '----- Original Message -----', '> 商品は本日発送いたしました。'],
        'in_reply_to': 'ticket-127.1@kizuna.example', 'date': ms('Fri, 20 Nov 2026 12:34:56 +0900'), 'intent': 'reply',
    })


def naver_reply_ko():
    html = ('<div style="font-size:10pt; font-family:Gulim,굴림;"><p>확인했습니다. 감사합니다!</p><p>&nbsp;</p>'
            '<p>-----Original Message-----<br>From: "Kizuna 지원" &lt;support@kizuna.example&gt;<br>'
            'To: "김민준" &lt;minjun@naver.com&gt;;<br>Cc: <br>Sent: 2026-11-20 (금) 10:00:00 (GMT+09:00)<br>'
            'Subject: [#128] 환불 요청</p><p>&nbsp;</p><blockquote>김민준 고객님, 환불이 완료되었습니다.</blockquote></div>'
            '<img src="https://mail.naver.com/readReceipt/notify/?img=abc" width="1" height="1" style="display:none">')
    add('008-naver-reply-ko.eml', [
        ('Return-Path', '<minjun@naver.com>'), ('Message-Id', '<a1b2c3d4e5f6.minjun@naver.com>'),
        ('Date', 'Fri, 20 Nov 2026 11:00:00 +0900'), ('From', '"=?utf-8?B?6rmA66+87KSA?=" <minjun@naver.com>'),
        ('To', '"=?utf-8?B?S2l6dW5hIOyngOybkA==?=" <support@kizuna.example>'),
        ('Subject', '=?utf-8?B?' + base64.b64encode('Re: [#128] 환불 요청'.encode()).decode() + '?='),
        ('In-Reply-To', '<ticket-128.1@kizuna.example>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/html; charset=utf-8'), ('Content-Transfer-Encoding', 'base64'),
        ('X-Originating-IP', '211.249.40.1'),
    ], b64(html.encode()), {
        'subject': 'Re: [#128] 환불 요청', 'from': 'minjun@naver.com', 'from_name': '김민준',
        'to': ['support@kizuna.example'],
        'text_contains': ['확인했습니다. 감사합니다!', '-----Original Message-----', 'Sent: 2026-11-20 (금) 10:00:00',
                          '> 김민준 고객님, 환불이 완료되었습니다.'],
        'text_not_contains': ['&nbsp;', '<p>'], 'html_contains': ['확인했습니다'],
        'html_not_contains': ['style='], 'in_reply_to': 'ticket-128.1@kizuna.example',
        'intent': 'reply',
    })


def daum_reply_ko():
    text = ('네, 주소를 변경해 주세요. 새 주소: 서울특별시 강남구 테헤란로 123\n\n'
            '2026년 11월 20일 (금) 오전 10:00, Kizuna 지원 <support@kizuna.example>님이 작성:\n'
            '> 배송지 변경을 원하시면 답장 부탁드립니다.\n')
    add('009-daum-reply-ko.eml', [
        ('Date', 'Fri, 20 Nov 2026 11:30:00 +0900'), ('From', words_b('박서연', 'ks_c_5601-1987') + ' <seoyeon@daum.net>'),
        ('To', 'support@kizuna.example'), ('Subject', words_b('Re: [#134] 배송지 변경', 'ks_c_5601-1987')),
        ('Message-ID', '<20261120113000.Daum.4f5e6d7c@daum.net>'), ('In-Reply-To', '<ticket-134.1@kizuna.example>'),
        ('References', '<ticket-134.1@kizuna.example>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/alternative; boundary="--=_DaumMail_1a2b3c"'),
    ], alternative('--=_DaumMail_1a2b3c', text, html_of(text), charset='ks_c_5601-1987', text_cte='base64',
                   html_cte='base64'), {
        'subject': 'Re: [#134] 배송지 변경', 'from': 'seoyeon@daum.net', 'from_name': '박서연',
        'text_contains': ['테헤란로 123', '<support@kizuna.example>님이 작성:', '> 배송지 변경을 원하시면'],
        'in_reply_to': 'ticket-134.1@kizuna.example', 'intent': 'reply',
    })


def gmail_reply_vi():
    text = ('Cảm ơn anh, tôi đã nhận được hàng hoàn tiền.\n\n'
            'Vào Th 6, 20 thg 11, 2026 vào lúc 10:00 Kizuna Hỗ trợ <support@kizuna.example> đã viết:\n\n'
            '> Chào chị Nhung,\n> Yêu cầu hoàn tiền của chị đã được duyệt.\n')
    add('010-gmail-reply-vi.eml', [
        ('MIME-Version', '1.0'), ('References', '<ticket-129.1@kizuna.example>'),
        ('In-Reply-To', '<ticket-129.1@kizuna.example>'),
        ('From', '=?UTF-8?Q?Nguy=E1=BB=85n_Th=E1=BB=8B_H=E1=BB=93ng_Nhung?= <nhung.nguyen@gmail.com>'),
        ('Date', 'Fri, 20 Nov 2026 10:45:00 +0700'), ('Message-ID', '<CAB7vi.reply@mail.gmail.com>'),
        ('Subject', word_q('Re: [#129] Yêu cầu hoàn tiền', 'UTF-8')), ('To', SUPPORT),
        ('Content-Type', 'multipart/alternative; boundary="000000000000c0ffee0000vi01"'),
    ], alternative('000000000000c0ffee0000vi01', text, '<div dir="ltr">' + html_of(text) + '</div>'), {
        'subject': 'Re: [#129] Yêu cầu hoàn tiền', 'from': 'nhung.nguyen@gmail.com', 'from_name': 'Nguyễn Thị Hồng Nhung',
        'text_contains': ['tôi đã nhận được hàng', 'đã viết:', '> Yêu cầu hoàn tiền của chị đã được duyệt.'],
        'in_reply_to': 'ticket-129.1@kizuna.example', 'nfc': True, 'intent': 'reply',
    })


def gmail_reply_ja():
    text = ('返品の手続きをお願いします。\n\n'
            '2026年11月20日(金) 10:00 Kizuna サポート <support@kizuna.example>:\n\n'
            '> 山田様\n> 返品をご希望の場合はこのメールにご返信ください。\n')
    add('011-gmail-reply-ja.eml', [
        ('MIME-Version', '1.0'), ('References', '<ticket-130.1@kizuna.example>'),
        ('In-Reply-To', '<ticket-130.1@kizuna.example>'),
        ('From', '=?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro.yamada@gmail.com>'),
        ('Date', 'Fri, 20 Nov 2026 10:30:00 +0900'), ('Message-ID', '<CAJa.reply.130@mail.gmail.com>'),
        ('Subject', words_b('Re: [#130] 返品について', 'UTF-8')), ('To', SUPPORT),
        ('Content-Type', 'multipart/alternative; boundary="0000000000001234abcd5678ef90"'),
    ], alternative('0000000000001234abcd5678ef90', text, html_of(text), text_cte='base64', html_cte='base64'), {
        'subject': 'Re: [#130] 返品について', 'from': 'taro.yamada@gmail.com', 'from_name': '山田太郎',
        'text_contains': ['返品の手続きをお願いします', '2026年11月20日(金) 10:00 Kizuna サポート <support@kizuna.example>:'],
        'in_reply_to': 'ticket-130.1@kizuna.example', 'intent': 'reply',
    }, crlf=False)


def gmail_reply_ko():
    text = ('배송 조회가 안 됩니다. 다시 확인 부탁드립니다.\n\n'
            '2026년 11월 20일 (금) 오전 10:00, 김민준 <minjun@example.kr>님이 작성:\n\n'
            '> 배송 문의드립니다.\n')
    add('012-gmail-reply-ko.eml', [
        ('MIME-Version', '1.0'), ('In-Reply-To', '<ticket-131.1@kizuna.example>'),
        ('References', '<ticket-131.1@kizuna.example>'),
        ('From', '=?UTF-8?B?6rmA66+87KSA?= <minjun@example.kr>'), ('Date', 'Fri, 20 Nov 2026 10:40:00 +0900'),
        ('Message-ID', '<CAKo.reply.131@mail.gmail.com>'), ('Subject', word_q('Re: [#131] 배송 문의', 'UTF-8')),
        ('To', SUPPORT), ('Content-Type', 'text/plain; charset="UTF-8"'),
        ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(text.encode()), {
        'subject': 'Re: [#131] 배송 문의', 'from': 'minjun@example.kr', 'from_name': '김민준',
        'text_contains': ['배송 조회가 안 됩니다', '김민준 <minjun@example.kr>님이 작성:'],
        'in_reply_to': 'ticket-131.1@kizuna.example', 'intent': 'reply',
    })


def outlook_reply_ja():
    text = ('お世話になっております。請求書を確認しました。\n\n'
            '差出人: Kizuna サポート <support@kizuna.example>\n送信日時: 2026年11月20日 10:00\n'
            '宛先: 佐藤花子 <hanako.sato@example.co.jp>\n件名: [#132] 請求書の件\n\n'
            '佐藤様\n請求書を添付いたします。\n')
    add('013-outlook-reply-ja.eml', [
        ('From', words_b('佐藤花子', 'iso-2022-jp') + ' <hanako.sato@example.co.jp>'), ('To', SUPPORT),
        ('Subject', words_b('RE: [#132] 請求書の件', 'iso-2022-jp')), ('Thread-Topic', words_b('[#132] 請求書の件', 'iso-2022-jp')),
        ('Date', 'Fri, 20 Nov 2026 03:00:00 +0000'), ('Message-ID', '<TYAPR01MB5678ABCDEF@TYAPR01MB5678.jpnprd01.prod.outlook.com>'),
        ('In-Reply-To', '<ticket-132.1@kizuna.example>'), ('Content-Language', 'ja-JP'),
        ('Content-Type', 'text/plain; charset="iso-2022-jp"'), ('Content-Transfer-Encoding', '7bit'),
        ('MIME-Version', '1.0'),
    ], iso2022jp(text), {
        'subject': 'RE: [#132] 請求書の件', 'from': 'hanako.sato@example.co.jp', 'from_name': '佐藤花子',
        'text_contains': ['請求書を確認しました', '差出人: Kizuna サポート', '送信日時: 2026年11月20日 10:00'],
        'in_reply_to': 'ticket-132.1@kizuna.example', 'intent': 'reply',
    })


# ---- one charset after another ----------------------------------------------------------

def iso2022jp_plain():
    subject = '【至急】商品が届きません（注文番号：12345）'
    text = JA + '※ 機種依存文字のテスト：①②③ ㈱ ㍻\n'
    data = iso2022jp(subject)
    add('020-iso2022jp-plain-ja.eml', [
        ('Date', DATE), ('From', 'taro@example.jp'), ('To', 'support@kizuna.example'),
        # One byte stream cut into two words mid-character state, as older Japanese clients do.
        ('Subject', words_b_split_bytes(subject, 'ISO-2022-JP', [len(data) // 2 + 1])),
        ('Message-ID', '<20261120100000.A1B2@example.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=ISO-2022-JP'), ('Content-Transfer-Encoding', '7bit'),
        ('X-Mailer', 'Becky! ver. 2.81.04'),
    ], iso2022jp(text), {
        'subject': subject, 'from': 'taro@example.jp', 'message_id': '20261120100000.A1B2@example.jp',
        'text_contains': ['配送状況を確認していただけますでしょうか', '①②③ ㈱ ㍻'], 'date': DATE_MS,
        'no_warnings': True, 'intent': 'new',
    })


def iso2022jp_split_subject():
    subject = '【お問い合わせ】注文番号12345の配送状況について'
    text = 'ﾃｽﾄ用の半角カナを含みます。\n' + JA
    # Half-width katakana as CP50221 writes it: ESC ( I.
    body = iso2022jp('テスト用の半角カナを含みます。\n' + JA).replace(
        iso2022jp('テスト')[:-3], b'\x1b(I' + bytes([0x43, 0x3d, 0x44]) + b'\x1b$B', 1)
    add('021-iso2022jp-split-subject-ja.eml', [
        ('Date', DATE), ('From', words_b('山田 太郎', 'ISO-2022-JP') + ' <yamada@example.co.jp>'),
        ('To', SUPPORT), ('Subject', words_b(subject, 'ISO-2022-JP', 3)),
        ('Message-ID', '<5F3A.2026@example.co.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset="ISO-2022-JP"'), ('Content-Transfer-Encoding', '7bit'),
    ], body, {
        'subject': subject, 'from': 'yamada@example.co.jp', 'from_name': '山田 太郎',
        'text_contains': ['ﾃｽﾄ用の半角カナ', '注文番号：12345'], 'intent': 'new',
    }, crlf=False)


def shift_jis_plain():
    subject = '髙橋です：パスワード再設定～できません'
    text = '髙橋と申します。\nパスワードの再設定ができません～。\nエラー番号：Ｅ－１０２\n' + JA
    add('022-shift-jis-plain-ja.eml', [
        ('Date', DATE), ('From', words_b('髙橋一郎', 'Shift_JIS') + ' <takahashi@example.ne.jp>'),
        ('To', SUPPORT), ('Subject', words_b(subject, 'Shift_JIS')),
        ('Message-ID', '<sjis.0001@example.ne.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=Shift_JIS'), ('Content-Transfer-Encoding', '8bit'),
    ], text.encode('cp932'), {
        'subject': subject, 'from': 'takahashi@example.ne.jp', 'from_name': '髙橋一郎',
        'text_contains': ['パスワードの再設定ができません～', 'エラー番号：Ｅ－１０２'], 'no_warnings': True,
        'intent': 'new',
    })


def shift_jis_attachment():
    text = '見積書を添付いたします。ご確認ください。\n'
    body = multipart('----=_NextPart_000_0012_01DA1B2C.3D4E5F60', [
        entity([('Content-Type', 'text/plain; charset="shift_jis"'), ('Content-Transfer-Encoding', 'base64')],
               b64(text.encode('cp932'))),
        attachment(('; name="%s"' % words_b('見積書.pdf', 'shift_jis'), ''), 'application/pdf', PDF),
    ], preamble=b'This is a multi-part message in MIME format.\n\n')
    add('023-shift-jis-base64-attachment-ja.eml', [
        ('From', 'Hanako Sato <sato@example.co.jp>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', words_b('見積書の送付', 'shift_jis')), ('Message-ID', '<000001da1b2c$3d4e5f60@example.co.jp>'),
        ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed;\n\tboundary="----=_NextPart_000_0012_01DA1B2C.3D4E5F60"'),
        ('X-Mailer', 'Microsoft Outlook 16.0'),
    ], body, {
        'subject': '見積書の送付', 'from': 'sato@example.co.jp', 'text_contains': ['見積書を添付いたします'],
        'attachments': [{'name': '見積書.pdf', 'type': 'application/pdf', 'size': len(PDF), 'inline': False}],
        'intent': 'new',
    })


def euc_jp_plain():
    add('024-euc-jp-plain-ja.eml', [
        ('Date', DATE), ('From', words_b('鈴木花子', 'EUC-JP') + ' <suzuki@example.or.jp>'), ('To', SUPPORT),
        ('Subject', words_b('ログインできません', 'EUC-JP')), ('Message-ID', '<eucjp.1@example.or.jp>'),
        ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset=EUC-JP'),
        ('Content-Transfer-Encoding', '8bit'),
    ], ('ログインしようとすると「認証エラー」と表示されます。\n' + JA).encode('euc_jp'), {
        'subject': 'ログインできません', 'from': 'suzuki@example.or.jp', 'from_name': '鈴木花子',
        'text_contains': ['「認証エラー」と表示されます'], 'no_warnings': True, 'intent': 'new',
    }, crlf=False)


def euc_jp_qp():
    add('025-euc-jp-qp-ja.eml', [
        ('Date', DATE), ('From', 'kato@example.jp'), ('To', SUPPORT),
        ('Subject', words_b('領収書の再発行について', 'EUC-JP')), ('Message-ID', '<eucjp.qp.2@example.jp>'),
        ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset="euc-jp"'),
        ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(('領収書の宛名を「株式会社カトウ」に変更して再発行をお願いできますか。\n' + JA).encode('euc_jp')), {
        'subject': '領収書の再発行について', 'from': 'kato@example.jp',
        'text_contains': ['「株式会社カトウ」に変更して'], 'intent': 'new',
    })


def euckr_plain():
    add('026-euckr-plain-ko.eml', [
        ('Date', 'Fri, 20 Nov 2026 10:00:00 +0900'), ('From', words_b('이지은', 'EUC-KR') + ' <jieun@example.co.kr>'),
        ('To', SUPPORT), ('Subject', words_b('비밀번호 변경이 안 됩니다', 'EUC-KR')),
        ('Message-ID', '<euckr.1@example.co.kr>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=euc-kr'), ('Content-Transfer-Encoding', '8bit'),
    ], ('비밀번호 변경 버튼을 눌러도 아무 반응이 없습니다.\n' + KO).encode('cp949'), {
        'subject': '비밀번호 변경이 안 됩니다', 'from': 'jieun@example.co.kr', 'from_name': '이지은',
        'text_contains': ['아무 반응이 없습니다', '배송 상황을 확인해 주실 수 있을까요?'], 'no_warnings': True,
        'intent': 'new',
    })


def ks_c_5601_outlook():
    text = '똠방각하 님, 주문 취소 부탁드립니다. 햏 (확장 완성형 글자 포함)\n' + KO
    add('027-ks-c-5601-outlook-ko.eml', [
        ('From', words_b('최유진', 'ks_c_5601-1987') + ' <yujin.choi@example.co.kr>'), ('To', SUPPORT),
        ('Subject', words_b('주문 취소 요청', 'ks_c_5601-1987')), ('Date', 'Fri, 20 Nov 2026 09:10:00 +0900'),
        ('Message-ID', '<SL2P216MB1234ABCD@SL2P216MB1234.KORP216.PROD.OUTLOOK.COM>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset="ks_c_5601-1987"'), ('Content-Transfer-Encoding', 'base64'),
    ], b64(text.encode('cp949')), {
        'subject': '주문 취소 요청', 'from': 'yujin.choi@example.co.kr', 'from_name': '최유진',
        'text_contains': ['똠방각하 님', '햏', '주문 취소 부탁드립니다'], 'no_warnings': True, 'intent': 'new',
    })


def euckr_qp_attachment():
    body = multipart('----=_NextPart_ko_0001', [
        entity([('Content-Type', 'text/plain; charset="euc-kr"'), ('Content-Transfer-Encoding', 'quoted-printable')],
               qp('견적서를 보내 드립니다.\n'.encode('cp949'))),
        attachment(('; name="%s"' % words_b('견적서.xlsx', 'EUC-KR'), '; filename="%s"' % words_b('견적서.xlsx', 'EUC-KR')),
                   'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', XLSX),
    ])
    add('028-euckr-qp-attachment-ko.eml', [
        ('From', 'Kang <kang@example.co.kr>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', words_b('견적서 송부', 'EUC-KR')), ('Message-ID', '<euckr.qp.att@example.co.kr>'),
        ('MIME-Version', '1.0'), ('Content-Type', 'multipart/mixed; boundary="----=_NextPart_ko_0001"'),
    ], body, {
        'subject': '견적서 송부', 'from': 'kang@example.co.kr', 'text_contains': ['견적서를 보내 드립니다'],
        'attachments': [{'name': '견적서.xlsx',
                         'type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                         'size': len(XLSX)}],
        'intent': 'new',
    }, crlf=False)


def windows_1258_qp():
    subject = 'Đơn hàng chưa được giao'
    add('029-windows-1258-vi.eml', [
        ('From', word_q('Trần Văn Đức', 'windows-1258') + ' <duc.tran@example.vn>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', word_q(subject, 'windows-1258')), ('Message-ID', '<cp1258.1@example.vn>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset="windows-1258"'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(cp1258(VI)), {
        'subject': subject, 'from': 'duc.tran@example.vn', 'from_name': 'Trần Văn Đức',
        'text_contains': ['Tôi đã đặt hàng tuần trước', 'tình trạng giao hàng', 'Nguyễn Thị Hồng Nhung'],
        'nfc': True, 'no_warnings': True, 'intent': 'new',
    })


def windows_1258_8bit():
    text = 'Sản phẩm bị lỗi: màn hình không sáng. Tôi muốn đổi sản phẩm mới.\nTrân trọng,\nLê Thị Mỹ Hạnh\n'
    add('030-windows-1258-8bit-vi.eml', [
        ('From', '=?UTF-8?B?' + base64.b64encode('Lê Thị Mỹ Hạnh'.encode()).decode() + '?= <hanh.le@example.vn>'),
        ('To', SUPPORT), ('Date', DATE), ('Subject', '=?UTF-8?Q?=C4=90=E1=BB=95i_s=E1=BA=A3n_ph=E1=BA=A9m?='),
        ('Message-ID', '<cp1258.2@example.vn>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=windows-1258'), ('Content-Transfer-Encoding', '8bit'),
    ], cp1258(text), {
        'subject': 'Đổi sản phẩm', 'from': 'hanh.le@example.vn', 'from_name': 'Lê Thị Mỹ Hạnh',
        'text_contains': ['màn hình không sáng', 'Tôi muốn đổi sản phẩm mới', 'Lê Thị Mỹ Hạnh'], 'nfc': True,
        'intent': 'new',
    }, crlf=False)


def utf8_nfd_vi():
    # Unikey's "Unicode tổ hợp" writes base letters and combining tone marks.
    text = unicodedata.normalize('NFD', 'Chào bạn, tôi cần hỗ trợ về hóa đơn điện tử tháng 11.\nPhạm Quốc Việt\n')
    add('031-utf8-nfd-vi.eml', [
        ('From', '=?UTF-8?B?' + base64.b64encode(unicodedata.normalize('NFD', 'Phạm Quốc Việt').encode()).decode()
         + '?= <viet.pham@example.vn>'),
        ('To', SUPPORT), ('Date', DATE), ('Subject', word_q(unicodedata.normalize('NFD', 'Hóa đơn điện tử'), 'UTF-8')),
        ('Message-ID', '<nfd.1@example.vn>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=UTF-8'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(text.encode()), {
        'subject': 'Hóa đơn điện tử', 'from': 'viet.pham@example.vn', 'from_name': 'Phạm Quốc Việt',
        'text_contains': ['tôi cần hỗ trợ về hóa đơn điện tử'], 'nfc': True, 'intent': 'new',
    })


def utf8_base64_vi():
    body = multipart('b1_vi_7d8e9f', [
        entity([('Content-Type', 'text/plain; charset=utf-8'), ('Content-Transfer-Encoding', 'base64')],
               b64(VI.encode())),
        attachment(('; name="=?UTF-8?Q?B=C3=A1o_gi=C3=A1=2Epdf?="', ';\n ' + rfc2231('filename', 'Báo giá.pdf')),
                   'application/pdf', PDF),
    ])
    add('032-utf8-base64-vi.eml', [
        ('From', 'Nhung <nhung@example.vn>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', '=?utf-8?B?' + base64.b64encode('Báo giá đơn hàng 12345'.encode()).decode() + '?='),
        ('Message-ID', '<b64vi@example.vn>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="b1_vi_7d8e9f"'),
    ], body, {
        'subject': 'Báo giá đơn hàng 12345', 'from': 'nhung@example.vn', 'text_contains': ['mã đơn 12345'],
        'attachments': [{'name': 'Báo giá.pdf', 'type': 'application/pdf', 'size': len(PDF)}], 'nfc': True,
        'intent': 'new',
    })


def utf8_qp_en():
    text = ('Hello team \u2014 the export to CSV produces an empty file when the report covers more than '
            'thirty days. Steps: Reports > Export > CSV. Expected: 1,204 rows; got: 0.\n\n\u2014 Priya\n')
    add('033-utf8-qp-en.eml', [
        ('From', 'Priya Raman <priya@example.in>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', 'CSV export is empty'), ('Message-ID', '<qp.en.33@example.in>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=utf-8'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(text.encode()), {
        'subject': 'CSV export is empty', 'from': 'priya@example.in',
        'text_contains': ['team \u2014 the export', 'more than thirty days', 'Expected: 1,204 rows'],
        'no_warnings': True, 'intent': 'new',
    })


def mislabelled():
    add('034-mislabelled-usascii-utf8.eml', [
        ('From', 'ito@example.jp'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Order question'),
        ('Message-ID', '<mislabel.1@example.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=us-ascii'), ('Content-Transfer-Encoding', '8bit'),
    ], JA.encode(), {
        'subject': 'Order question', 'text_contains': ['配送状況を確認'], 'warnings_contain': ['is UTF-8'],
        'intent': 'new',
    })
    add('035-mislabelled-latin1-utf8.eml', [
        ('From', 'vu@example.vn'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Giao hang'),
        ('Message-ID', '<mislabel.2@example.vn>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset="ISO-8859-1"'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(VI.encode()), {
        'subject': 'Giao hang', 'text_contains': ['tình trạng giao hàng'], 'warnings_contain': ['is UTF-8'],
        'nfc': True, 'intent': 'new',
    }, crlf=False)


def undeclared():
    subject = '支払い方法の変更'
    add('036-undeclared-8bit-sjis.eml', [
        ('From', 'nakamura@example.jp'), ('To', SUPPORT), ('Date', DATE), ('Subject', subject.encode('cp932')),
        ('Message-ID', '<undeclared.sjis@example.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain'), ('Content-Transfer-Encoding', '8bit'),
    ], ('支払い方法をクレジットカードから銀行振込に変更したいです。\n' + JA).encode('cp932'), {
        'subject': subject, 'text_contains': ['銀行振込に変更したいです'], 'warnings_contain': ['Shift_JIS'],
        'intent': 'new',
    })
    add('037-undeclared-8bit-euckr.eml', [
        ('From', 'park@example.co.kr'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Refund'),
        ('Message-ID', '<undeclared.euckr@example.co.kr>'),
    ], ('환불 요청합니다. 제품이 파손되어 도착했습니다.\n' + KO).encode('cp949'), {
        'subject': 'Refund', 'text_contains': ['제품이 파손되어 도착했습니다'], 'warnings_contain': ['EUC-KR'],
        'intent': 'new',
    }, crlf=False)
    add('038-undeclared-8bit-utf8.eml', [
        ('From', '김민준 <minjun@example.kr>'), ('To', SUPPORT), ('Date', DATE), ('Subject', '쿠폰 적용 오류'),
        ('Message-ID', '<undeclared.utf8@example.kr>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain'), ('Content-Transfer-Encoding', '8bit'),
    ], ('쿠폰 코드를 입력해도 할인이 적용되지 않습니다.\n' + KO).encode(), {
        'subject': '쿠폰 적용 오류', 'from': 'minjun@example.kr', 'from_name': '김민준',
        'text_contains': ['할인이 적용되지 않습니다'], 'no_warnings': True, 'intent': 'new',
    })
    add('039-undeclared-iso2022jp.eml', [
        ('From', 'old-client@example.jp'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'toiawase'),
        ('Message-ID', '<undeclared.jis@example.jp>'),
    ], iso2022jp(JA), {
        'subject': 'toiawase', 'text_contains': ['配送状況を確認'], 'warnings_contain': ['ISO-2022-JP'],
        'intent': 'new',
    })


def damaged_text():
    add('040-invalid-utf8.eml', [
        ('From', 'broken@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Broken bytes'),
        ('Message-ID', '<invalid.utf8@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=utf-8'), ('Content-Transfer-Encoding', '8bit'),
    ], b'Price: 100\xff\xfe euros, caf\xc3 au lait, ok\xe2\x82 done.\n', {
        'subject': 'Broken bytes', 'text_contains': ['Price: 100\ufffd\ufffd euros', 'done.'],
        'warnings_contain': ['invalid UTF-8'], 'intent': 'new',
    })
    add('041-unknown-charset.eml', [
        ('From', 'klingon@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Unknown charset'),
        ('Message-ID', '<unknown.charset@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset="x-klingon-9"'), ('Content-Transfer-Encoding', '8bit'),
    ], 'Qapla\u2019! The app crashes on start.\n'.encode(), {
        'subject': 'Unknown charset', 'text_contains': ['Qapla\u2019! The app crashes'],
        'warnings_contain': ["unknown charset 'x-klingon-9'"], 'intent': 'new',
    }, crlf=False)
    add('042-nul-bytes.eml', [
        ('From', 'nul@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', b'Null\x00 in subject'),
        ('Message-ID', '<nul.bytes@example.com>'), ('X-Note', b'a\x00b'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=utf-8'),
    ], b'Line one\x00 continues.\nLine two\x00\x00.\n', {
        'subject': 'Null  in subject', 'text_contains': ['Line one continues.', 'Line two.'],
        'warnings_contain': ['NUL bytes'], 'intent': 'new',
    })


def html_mail():
    html = ('<!DOCTYPE html><html><head><title>Weekly deals</title><style>.x{color:red}</style>'
            '<script>track()</script></head><body><table width="600"><tr><td>'
            '<h1>Deals &amp; offers for you</h1><p>Don&#8217;t miss&nbsp;our <b>50%</b> sale on kettles.</p>'
            '<p>Questions? Reply to this e&#x2d;mail.</p><ul><li>Kettle</li><li>Teapot</li></ul>'
            '<a href="https://shop.example/unsubscribe?u=1">Unsubscribe</a>'
            '<img src="http://track.example/open.gif" width="1" height="1"></td></tr></table></body></html>')
    add('043-html-only-newsletter-en.eml', [
        ('From', 'Shop Example <news@shop.example>'), ('To', 'support@kizuna.example'), ('Date', DATE),
        ('Subject', 'Weekly deals: 50% off kettles'), ('Message-ID', '<news.2026.47@shop.example>'),
        ('List-Id', 'Shop Example News <news.shop.example>'),
        ('List-Unsubscribe', '<https://shop.example/unsubscribe?u=1>, <mailto:unsubscribe@shop.example>'),
        ('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'), ('Precedence', 'bulk'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/html; charset=utf-8'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(html.encode()), {
        'subject': 'Weekly deals: 50% off kettles', 'from': 'news@shop.example',
        'text_contains': ['Deals & offers for you', 'Don\u2019t miss our 50% sale on kettles.', '- Kettle',
                          'Reply to this e-mail.'],
        'text_not_contains': ['track()', 'color:red', 'Weekly deals</title>', '&amp;'],
        'html_contains': ['<h1>Deals &amp; offers for you</h1>', 'href="https://shop.example/unsubscribe?u=1"'],
        'html_not_contains': ['<script', '<style', 'track.example'],
        'headers': {'precedence': 'bulk', 'list-id': 'Shop Example News <news.shop.example>'}, 'intent': 'bulk',
    })
    xss = ('<p>Hello</p><script>alert(1)</script><img src=x onerror="alert(2)">'
           '<a href="javascript:alert(3)">click</a><a href=" javascript:alert(4)">two</a>'
           '<a href="&#106;avascript:alert(5)">three</a><a href="jav&#x09;ascript:alert(6)">four</a>'
           '<svg onload="alert(7)"><circle r="1"/></svg><div style="width:expression(alert(8))">styled</div>'
           '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name=p></form>'
           '<img src="data:image/png;base64,AAAA"><a href="vbscript:msgbox(9)">five</a>'
           '<object data="x.swf"></object><embed src="x.swf"><p onclick="alert(10)">safe text</p>'
           '<a href="https://ok.example/path">ok link</a>')
    add('044-html-only-xss.eml', [
        ('From', 'attacker@evil.example'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Invoice'),
        ('Message-ID', '<xss@evil.example>'), ('MIME-Version', '1.0'), ('Content-Type', 'text/html; charset=utf-8'),
    ], xss.encode(), {
        'subject': 'Invoice', 'text_contains': ['Hello', 'click', 'safe text', 'ok link'],
        'text_not_contains': ['alert('],
        'html_contains': ['<p>Hello</p>', 'safe text', '<a href="https://ok.example/path"'],
        'html_not_contains': ['<script', 'onerror', 'javascript:', 'vbscript:', 'data:', '<svg', 'onload',
                              'expression(', 'style=', '<iframe', '<form', '<input', '<object', '<embed',
                              'onclick', 'alert('],
        'intent': 'new',
    }, crlf=False)


# ---- structure ---------------------------------------------------------------------------

def forwards():
    text = ('FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Shop Example <orders@shop.example>\n'
            'Date: Thu, Nov 19, 2026 at 6:00 PM\nSubject: Order 4471 shipped\nTo: <ana.silva@gmail.com>\n\n'
            'Your order 4471 has shipped. Tracking: JP123456789.\n')
    add('045-forward-inline-gmail-en.eml', [
        ('MIME-Version', '1.0'), ('From', 'Ana Silva <ana.silva@gmail.com>'), ('Date', DATE),
        ('Message-ID', '<CAF=fwd.45@mail.gmail.com>'), ('Subject', 'Fwd: Order 4471 shipped'), ('To', SUPPORT),
        ('Content-Type', 'multipart/alternative; boundary="00000000000045fwd"'),
    ], alternative('00000000000045fwd', text, html_of(text)), {
        'subject': 'Fwd: Order 4471 shipped', 'text_contains': ['---------- Forwarded message ---------',
                                                               'Tracking: JP123456789.'],
        'attachments': [], 'intent': 'forward',
    })
    inner = (b'Return-Path: <billing@vendor.example>\nFrom: Vendor Billing <billing@vendor.example>\n'
             b'To: marta@posteo.example\nSubject: Your invoice INV-2026-11\nDate: Wed, 18 Nov 2026 08:00:00 +0000\n'
             b'Message-ID: <inv-2026-11@vendor.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
             b'Please find your invoice for November attached. Amount due: 49.00 EUR.\n')
    body = multipart('------------7Fq2b3c4d5e6f7g8', [
        entity([('Content-Type', 'text/plain; charset=UTF-8; format=flowed'), ('Content-Transfer-Encoding', '7bit')],
               b'Forwarding the invoice I mentioned on the phone.\n'),
        entity([('Content-Type', 'message/rfc822; name="Your invoice INV-2026-11.eml"'),
                ('Content-Disposition', 'attachment')], inner),
    ], preamble=b'This is a multi-part message in MIME format.\n')
    add('046-forward-rfc822-thunderbird-en.eml', [
        ('Message-ID', '<fwd.46@posteo.example>'), ('Date', DATE), ('MIME-Version', '1.0'),
        ('User-Agent', 'Mozilla Thunderbird'), ('From', 'Marta Nowak <marta@posteo.example>'),
        ('Subject', 'Fwd: Your invoice INV-2026-11'), ('To', SUPPORT),
        ('Content-Type', 'multipart/mixed; boundary="------------7Fq2b3c4d5e6f7g8"'),
    ], body, {
        'subject': 'Fwd: Your invoice INV-2026-11', 'text_contains': ['Forwarding the invoice'],
        'text_not_contains': ['Amount due'],
        'attachments': [{'name': 'Your invoice INV-2026-11.eml', 'type': 'message/rfc822', 'size': raw_size(inner, False)}],
        'intent': 'forward',
    }, crlf=False)
    inner_subject = '【重要】ご注文内容の確認'
    inner_ja = (b'From: shop@example.co.jp\nTo: sato@example.co.jp\nSubject: ' +
                words_b(inner_subject, 'ISO-2022-JP', 2).encode() +
                b'\nDate: Thu, 19 Nov 2026 09:00:00 +0900\nMessage-ID: <order.conf@example.co.jp>\nMIME-Version: 1.0\n'
                b'Content-Type: text/plain; charset=ISO-2022-JP\n\n' + iso2022jp('ご注文ありがとうございます。\n'))
    body = multipart('_004_TYAPR01MB_', [
        entity([('Content-Type', 'text/plain; charset="iso-2022-jp"'), ('Content-Transfer-Encoding', '7bit')],
               iso2022jp('転送します。ご確認ください。\n')),
        entity([('Content-Type', 'message/rfc822'), ('Content-Disposition', 'attachment')], inner_ja),
    ])
    add('047-forward-outlook-ja.eml', [
        ('From', 'sato@example.co.jp'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', words_b('FW: ' + inner_subject, 'iso-2022-jp')), ('Message-ID', '<fw.47@example.co.jp>'),
        ('MIME-Version', '1.0'), ('Content-Type', 'multipart/mixed; boundary="_004_TYAPR01MB_"'),
    ], body, {
        'subject': 'FW: ' + inner_subject, 'text_contains': ['転送します'], 'text_not_contains': ['ご注文ありがとう'],
        'attachments': [{'name': inner_subject + '.eml', 'type': 'message/rfc822', 'size': raw_size(inner_ja, True)}],
        'intent': 'forward',
    })


def forward_base64_outlook():
    inner = ('From: Vendor <sales@vendor.example>\nTo: tom.baker@contoso.example\nSubject: Quote Q-7781\n'
             'Date: Tue, 17 Nov 2026 15:00:00 +0000\nMessage-ID: <q7781@vendor.example>\nMIME-Version: 1.0\n'
             'Content-Type: text/plain; charset=utf-8\n\nQuote attached as discussed: 1,200 EUR.\n').replace(
        '\n', '\r\n').encode()
    body = multipart('_006_AM6PR_fwd_', [
        entity([('Content-Type', 'text/plain; charset="us-ascii"')], b'Please see the quote below.\n'),
        entity([('Content-Type', 'message/rfc822'), ('Content-Transfer-Encoding', 'base64'),
                ('Content-Disposition', 'attachment; creation-date="Fri, 20 Nov 2026 10:00:00 GMT"')], b64(inner)),
    ])
    add('086-forward-rfc822-base64-outlook.eml', [
        ('From', 'Tom Baker <tom.baker@contoso.example>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', 'FW: Quote Q-7781'), ('Message-ID', '<fw.86@contoso.example>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="_006_AM6PR_fwd_"'),
    ], body, {
        'subject': 'FW: Quote Q-7781', 'text_contains': ['Please see the quote below.'],
        'text_not_contains': ['1,200 EUR'],
        'attachments': [{'name': 'Quote Q-7781.eml', 'type': 'message/rfc822', 'size': len(inner)}],
        'intent': 'forward',
    })


def attachments_cases():
    body = multipart('zero-length-7a', [
        entity([('Content-Type', 'text/plain; charset=utf-8')], b'The log file the app wrote is empty, attached.\n'),
        entity([('Content-Type', 'text/plain; name="sync.log"'), ('Content-Disposition', 'attachment; filename="sync.log"'),
                ('Content-Transfer-Encoding', 'base64')], b''),
        attachment(simple_name('notes.txt'), 'text/plain', b'three lines\nof notes\nhere\n'),
    ])
    add('048-zero-length-attachment.eml', [
        ('From', 'dev@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Empty log'),
        ('Message-ID', '<zero.length@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="zero-length-7a"'),
    ], body, {
        'subject': 'Empty log', 'text_contains': ['is empty, attached'],
        'attachments': [{'name': 'sync.log', 'type': 'text/plain', 'size': 0},
                        {'name': 'notes.txt', 'type': 'text/plain', 'size': len(b'three lines\nof notes\nhere\n')}],
        'intent': 'new',
    })
    related = multipart('rel-49', [
        entity([('Content-Type', 'multipart/alternative; boundary="alt-49"')], alternative(
            'alt-49', 'See the screenshot: [logo]\n',
            '<p>See the screenshot:</p><p><img src="cid:logo@kizuna.example" alt="logo"></p>')),
        entity([('Content-Type', 'image/png; name="logo.png"'), ('Content-Transfer-Encoding', 'base64'),
                ('Content-ID', '<logo@kizuna.example>'), ('Content-Disposition', 'inline; filename="logo.png"')],
               b64(PNG)),
    ])
    add('049-inline-cid-image.eml', [
        ('From', 'Designer <designer@example.com>'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Logo looks wrong'),
        ('Message-ID', '<cid.49@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/related; boundary="rel-49"; type="multipart/alternative"'),
    ], related, {
        'subject': 'Logo looks wrong', 'text_contains': ['See the screenshot'],
        'html_contains': ['<img src="cid:logo@kizuna.example" alt="logo">'],
        'attachments': [{'name': 'logo.png', 'type': 'image/png', 'size': len(PNG), 'inline': True,
                         'content_id': 'logo@kizuna.example'}],
        'intent': 'new',
    }, crlf=False)
    body = multipart('noname-50', [
        entity([('Content-Type', 'text/plain')], b'Two files without names.\n'),
        entity([('Content-Type', 'application/pdf'), ('Content-Transfer-Encoding', 'base64')], b64(PDF)),
        entity([('Content-Type', 'IMAGE/PNG'), ('Content-Transfer-Encoding', 'base64')], b64(PNG)),
    ])
    add('050-attachment-no-name.eml', [
        ('From', 'scanner@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Scan'),
        ('Message-ID', '<noname.50@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary=noname-50'),
    ], body, {
        'subject': 'Scan', 'text_contains': ['Two files without names.'],
        'attachments': [{'name': 'attachment-1.pdf', 'type': 'application/pdf', 'size': len(PDF)},
                        {'name': 'attachment-2.png', 'type': 'image/png', 'size': len(PNG)}],
        'intent': 'new',
    })
    long_name = '2026年度_第3四半期_売上報告書_最終版（修正済み）.pdf'
    body = multipart('cont-51', [
        entity([('Content-Type', 'text/plain; charset=utf-8')], '報告書を添付します。\n'.encode()),
        entity([('Content-Type', 'application/pdf;\n ' + rfc2231('name', long_name, pieces=3)),
                ('Content-Disposition', 'attachment;\n ' + rfc2231('filename', long_name, pieces=3)),
                ('Content-Transfer-Encoding', 'base64')], b64(PDF)),
    ])
    add('051-rfc2231-continuation-ja.eml', [
        ('From', 'mori@example.jp'), ('To', SUPPORT), ('Date', DATE), ('Subject', words_b('売上報告書', 'UTF-8')),
        ('Message-ID', '<rfc2231.51@example.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="cont-51"'),
    ], body, {
        'subject': '売上報告書', 'attachments': [{'name': long_name, 'type': 'application/pdf', 'size': len(PDF)}],
        'intent': 'new',
    })
    # macOS writes file names decomposed: Hangul as conjoining jamo.
    nfd_name = unicodedata.normalize('NFD', '보고서_최종.pdf')
    body = multipart('Apple-Mail=_KO-83', [
        entity([('Content-Type', 'text/plain; charset=utf-8'), ('Content-Transfer-Encoding', 'base64')],
               b64('보고서 첨부합니다.\n'.encode())),
        entity([('Content-Type', 'application/pdf;\n\tname="%s"' % words_b(nfd_name, 'utf-8')),
                ('Content-Disposition', 'attachment;\n\t' + rfc2231('filename', nfd_name)),
                ('Content-Transfer-Encoding', 'base64')], b64(PDF)),
    ])
    add('052-apple-mail-nfd-filename-ko.eml', [
        ('From', 'Jiho <jiho@icloud.com>'), ('To', SUPPORT), ('Date', DATE), ('Subject', words_b('보고서', 'utf-8')),
        ('Message-Id', '<KO-83@icloud.com>'), ('Mime-Version', '1.0 (Mac OS X Mail 16.0)'),
        ('Content-Type', 'multipart/mixed;\n\tboundary="Apple-Mail=_KO-83"'),
    ], body, {
        'subject': '보고서', 'text_contains': ['보고서 첨부합니다'],
        'attachments': [{'name': '보고서_최종.pdf', 'type': 'application/pdf', 'size': len(PDF)}], 'intent': 'new',
    }, crlf=False)


def broken_structure():
    body = multipart('----=_Part_124_5678.1700000000000', [
        entity([('Content-Type', 'text/plain; charset=UTF-8')], b'The boundary parameter has a typo.\n'),
        attachment(simple_name('receipt.pdf'), 'application/pdf', PDF),
    ])
    add('053-broken-boundary.eml', [
        ('From', 'java@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Receipt'),
        ('Message-ID', '<broken.boundary@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="----=_Part_123_5678.1700000000000"'),
    ], body, {
        'subject': 'Receipt', 'text_contains': ['has a typo'], 'text_not_contains': ['Content-Type'],
        'attachments': [{'name': 'receipt.pdf', 'type': 'application/pdf', 'size': len(PDF)}],
        'warnings_contain': ['boundary'], 'intent': 'new',
    })
    body = multipart('NoBoundaryParam42', [
        entity([('Content-Type', 'text/plain; charset=UTF-8')], b'The Content-Type has no boundary parameter.\n'),
        attachment(simple_name('photo.png'), 'image/png', PNG),
    ])
    add('054-missing-boundary-param.eml', [
        ('From', 'script@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'No boundary'),
        ('Message-ID', '<missing.boundary@example.com>'), ('MIME-Version', '1.0'), ('Content-Type', 'multipart/mixed'),
    ], body, {
        'subject': 'No boundary', 'text_contains': ['has no boundary parameter'],
        'attachments': [{'name': 'photo.png', 'type': 'image/png', 'size': len(PNG)}],
        'warnings_contain': ['boundary'], 'intent': 'new',
    }, crlf=False)
    body = multipart('unclosed-55', [
        entity([('Content-Type', 'text/plain; charset=UTF-8')], b'The closing delimiter never comes.\n'),
        attachment(simple_name('data.csv'), 'text/csv', b'id,amount\n1,10\n2,20\n'),
    ], close=False)
    add('055-missing-closing-boundary.eml', [
        ('From', 'cut@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Truncated'),
        ('Message-ID', '<unclosed.55@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="unclosed-55"'),
    ], body, {
        'subject': 'Truncated', 'text_contains': ['never comes'],
        'attachments': [{'name': 'data.csv', 'type': 'text/csv', 'size': len(b'id,amount\n1,10\n2,20\n')}], 'intent': 'new',
    })


def missing_headers():
    add('056-missing-from.eml', [
        ('To', SUPPORT), ('Date', DATE), ('Subject', 'No sender'), ('Message-ID', '<no.from@example.com>'),
        ('Content-Type', 'text/plain; charset=utf-8'),
    ], b'Who sent this?\n', {
        'subject': 'No sender', 'from': '', 'text_contains': ['Who sent this?'], 'warnings_contain': ['no From'],
        'intent': 'new',
    })
    add('057-missing-message-id.eml', [
        ('From', 'noid@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'No id'),
    ], b'There is no Message-ID header.\n', {
        'subject': 'No id', 'message_id': '', 'text_contains': ['no Message-ID header'],
        'warnings_contain': ['no Message-ID'], 'intent': 'new',
    }, crlf=False)
    add('058-missing-date.eml', [
        ('From', 'nodate@example.com'), ('To', SUPPORT), ('Subject', 'No date'), ('Message-ID', '<no.date@example.com>'),
    ], b'There is no Date header.\n', {
        'subject': 'No date', 'date': None, 'text_contains': ['no Date header'], 'warnings_contain': ['no Date'],
        'intent': 'new',
    })
    add('059-duplicate-headers.eml', [
        ('From', 'dup@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'First subject'),
        ('Message-ID', '<first.id@example.com>'), ('Subject', 'Second subject'),
        ('Message-ID', '<second.id@example.com>'), ('Date', 'not a date at all'),
    ], b'Two subjects, two ids.\n', {
        'subject': 'First subject', 'message_id': 'first.id@example.com', 'date': DATE_MS,
        'text_contains': ['Two subjects'], 'warnings_contain': ['duplicated Subject', 'duplicated Message-ID'],
        'intent': 'new',
    })
    injected = base64.b64encode(b'Invoice\r\nBcc: victim@evil.example').decode()
    add('060-header-injection.eml', [
        ('From', '=?UTF-8?Q?Eve=0D=0ABcc=3A_x=40evil.example?= <eve@evil.example>'),
        ('To', SUPPORT), ('Date', DATE), ('Subject', '=?UTF-8?B?' + injected + '?='),
        ('Message-ID', '<inject@evil.example>'), ('Reply-To', '=?UTF-8?B?' + base64.b64encode(
            b'x\nTo: everyone@example.com').decode() + '?= <eve@evil.example>'),
        ('X-Autoreply', '=?UTF-8?Q?no=0D=0AX-Kizuna-Loop:_1?='),
    ], b'Header injection through encoded words.\n', {
        'subject': 'Invoice  Bcc: victim@evil.example', 'from': 'eve@evil.example',
        'from_name': 'Eve  Bcc: x@evil.example', 'text_contains': ['Header injection'],
        'headers': {'x-autoreply': 'no  X-Kizuna-Loop: 1'}, 'intent': 'new',
    })
    long_subject = 'Very long subject ' + ' '.join('word%d' % i for i in range(400))
    refs = ' '.join('<ref.%d@example.com>' % i for i in range(150))
    add('061-long-header-lines.eml', [
        ('From', 'long@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', long_subject),
        ('Message-ID', '<long.lines@example.com>'), ('References', refs), ('In-Reply-To', '<ref.149@example.com>'),
        ('X-Long', 'x' * 100000),
    ], b'Long header lines.\n', {
        'subject': long_subject, 'in_reply_to': 'ref.149@example.com', 'text_contains': ['Long header lines.'],
        'references_count': 100, 'references_first': 'ref.0@example.com', 'references_last': 'ref.149@example.com',
        'warnings_contain': ['References'], 'intent': 'reply',
    }, crlf=False)


def nesting():
    def nested(levels, innermost):
        part = entity([('Content-Type', 'text/plain; charset=utf-8')], innermost)
        for level in range(levels, 0, -1):
            part = entity([('Content-Type', 'multipart/mixed; boundary="lvl%d"' % level)],
                          multipart('lvl%d' % level, [part]))
        return part
    outer = multipart('outer', [entity([('Content-Type', 'text/plain')], b'Outer text stays.\n'),
                                nested(40, b'Innermost text is too deep.\n')])
    add('062-deeply-nested-multipart.eml', [
        ('From', 'deep@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Deep'),
        ('Message-ID', '<deep.62@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="outer"'),
    ], outer, {
        'subject': 'Deep', 'text_contains': ['Outer text stays.'], 'text_not_contains': ['Innermost'],
        'warnings_contain': ['nested deeper than 30'], 'intent': 'new',
    }, crlf=False)
    add('063-nested-multipart-ok.eml', [
        ('From', 'nested@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Nested'),
        ('Message-ID', '<nested.63@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="lvl0"'),
    ], multipart('lvl0', [nested(8, b'Eight levels down is fine.\n')]), {
        'subject': 'Nested', 'text_contains': ['Eight levels down is fine.'], 'intent': 'new',
    })
    parts = [entity([('Content-Type', 'text/plain')], b'Six hundred parts follow.\n')]
    parts += [entity([('Content-Type', 'application/octet-stream'),
                      ('Content-Disposition', 'attachment; filename="p%d.bin"' % i)], b'x') for i in range(600)]
    add('064-too-many-parts.eml', [
        ('From', 'many@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Many parts'),
        ('Message-ID', '<many.64@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="many"'),
    ], multipart('many', parts), {
        'subject': 'Many parts', 'text_contains': ['Six hundred parts follow.'], 'attachments_count': 498,
        'warnings_contain': ['more than 500 MIME parts'], 'intent': 'new',
    }, crlf=False)


def auto_replies():
    add('065-autoreply-gmail-vacation-en.eml', [
        ('MIME-Version', '1.0'), ('Date', DATE), ('From', 'Ana Silva <ana.silva@gmail.com>'), ('To', SUPPORT),
        ('Subject', 'Out of office: Re: [#123] Refund for order 4471'), ('Auto-Submitted', 'auto-replied'),
        ('Precedence', 'bulk'), ('Message-ID', '<vacation.65@mail.gmail.com>'),
        ('In-Reply-To', '<ticket-123.3@kizuna.example>'), ('Content-Type', 'text/plain; charset="UTF-8"'),
    ], b'I am on holiday until 30 November with no access to email.\n', {
        'subject': 'Out of office: Re: [#123] Refund for order 4471', 'text_contains': ['on holiday'],
        'headers': {'auto-submitted': 'auto-replied', 'precedence': 'bulk'}, 'intent': 'auto-reply',
    })
    add('066-autoreply-outlook-oof-en.eml', [
        ('From', 'Tom Baker <tom.baker@contoso.example>'), ('To', SUPPORT),
        ('Subject', 'Automatic reply: [#124] Invoice question'), ('Thread-Topic', '[#124] Invoice question'),
        ('Date', DATE), ('Message-ID', '<oof.66@contoso.example>'), ('In-Reply-To', '<ticket-124.2@kizuna.example>'),
        ('Auto-Submitted', 'auto-generated'), ('X-Auto-Response-Suppress', 'All'),
        ('X-MS-Exchange-Inbox-Rules-Loop', 'tom.baker@contoso.example'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset="us-ascii"'),
    ], b'I am out of the office until Monday.\n', {
        'subject': 'Automatic reply: [#124] Invoice question', 'text_contains': ['out of the office'],
        'headers': {'auto-submitted': 'auto-generated', 'x-auto-response-suppress': 'All'},
        'intent': 'auto-reply',
    }, crlf=False)
    add('067-autoreply-xautoreply-ja.eml', [
        ('From', 'taro@example.jp'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', words_b('自動返信: [#127] 【お問い合わせ】', 'ISO-2022-JP', 2)), ('X-Autoreply', 'yes'),
        ('Message-ID', '<auto.67@example.jp>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=ISO-2022-JP'),
    ], iso2022jp('ただいま出張中のため、11月25日以降に返信いたします。\n'), {
        'subject': '自動返信: [#127] 【お問い合わせ】', 'text_contains': ['出張中のため'],
        'headers': {'x-autoreply': 'yes'}, 'intent': 'auto-reply',
    })
    add('068-autoreply-precedence-junk-ko.eml', [
        ('From', 'minjun@example.kr'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', words_b('부재중 자동응답', 'UTF-8')), ('Precedence', 'junk'), ('Message-ID', '<auto.68@example.kr>'),
        ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset=UTF-8'),
        ('Content-Transfer-Encoding', 'base64'),
    ], b64('휴가 중입니다. 12월 1일에 복귀합니다.\n'.encode()), {
        'subject': '부재중 자동응답', 'text_contains': ['휴가 중입니다'], 'headers': {'precedence': 'junk'},
        'intent': 'auto-reply',
    }, crlf=False)
    add('069-mailing-list-precedence-list.eml', [
        ('From', 'Dev List <dev@lists.example.org>'), ('Sender', 'dev-bounces@lists.example.org'), ('To', SUPPORT),
        ('Date', DATE), ('Subject', '[dev] Release 4.2 is out'), ('Message-ID', '<list.69@lists.example.org>'),
        ('Precedence', 'list'), ('List-Id', 'Developers <dev.lists.example.org>'),
        ('List-Post', '<mailto:dev@lists.example.org>'),
        ('List-Unsubscribe', '<https://lists.example.org/unsub/dev>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=utf-8'),
    ], b'Release 4.2 is out.\n_______________________________________________\ndev mailing list\n', {
        'subject': '[dev] Release 4.2 is out', 'text_contains': ['Release 4.2 is out.'],
        'headers': {'precedence': 'list', 'list-id': 'Developers <dev.lists.example.org>',
                    'list-post': '<mailto:dev@lists.example.org>'},
        'intent': 'bulk',
    })
    add('070-autoreply-xautorespond-vi.eml', [
        ('From', 'hanh.le@example.vn'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', word_q('Trả lời tự động: Đổi sản phẩm', 'UTF-8')), ('X-Autorespond', 'yes'),
        ('Message-ID', '<auto.70@example.vn>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/plain; charset=UTF-8'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp('Tôi đang nghỉ phép, sẽ trả lời sau ngày 1/12.\n'.encode()), {
        'subject': 'Trả lời tự động: Đổi sản phẩm', 'text_contains': ['Tôi đang nghỉ phép'],
        'headers': {'x-autorespond': 'yes'}, 'nfc': True, 'intent': 'auto-reply',
    })


def bounces():
    original_headers = (b'Return-Path: <support@kizuna.example>\nFrom: Kizuna Support <support@kizuna.example>\n'
                        b'To: nobody@example.net\nSubject: [#140] Your request\n'
                        b'Message-ID: <ticket-140.2@kizuna.example>\nDate: Fri, 20 Nov 2026 09:00:00 +0000\n')
    report = (b'Reporting-MTA: dns; mail.kizuna.example\nX-Postfix-Queue-ID: 8F2E31C0A5\n'
              b'Arrival-Date: Fri, 20 Nov 2026 09:00:00 +0000 (UTC)\n\nFinal-Recipient: rfc822; nobody@example.net\n'
              b'Original-Recipient: rfc822;nobody@example.net\nAction: failed\nStatus: 5.1.1\n'
              b'Remote-MTA: dns; mx.example.net\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n')
    body = multipart('8F2E31C0A5.1795136400/mail.kizuna.example', [
        entity([('Content-Description', 'Notification'), ('Content-Type', 'text/plain; charset=us-ascii')],
               b'This is the mail system at host mail.kizuna.example.\n\nI\'m sorry to have to inform you that '
               b'your message could not\nbe delivered to one or more recipients.\n\n<nobody@example.net>: host '
               b'mx.example.net[192.0.2.7] said: 550 5.1.1\n    <nobody@example.net>: Recipient address rejected: '
               b'User unknown\n'),
        entity([('Content-Description', 'Delivery report'), ('Content-Type', 'message/delivery-status')], report),
        entity([('Content-Description', 'Undelivered Message Headers'), ('Content-Type', 'text/rfc822-headers')],
               original_headers),
    ], preamble=b'This is a MIME-encapsulated message.\n\n')
    add('071-bounce-postfix-dsn.eml', [
        ('Return-Path', '<>'), ('Date', 'Fri, 20 Nov 2026 09:00:05 +0000 (UTC)'),
        ('From', 'MAILER-DAEMON@mail.kizuna.example (Mail Delivery System)'),
        ('Subject', 'Undelivered Mail Returned to Sender'), ('To', 'support@kizuna.example'),
        ('Auto-Submitted', 'auto-replied'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/report; report-type=delivery-status;\n\tboundary="8F2E31C0A5.1795136400/mail.kizuna.example"'),
        ('Message-Id', '<20261120090005.9A1B2C3D4E@mail.kizuna.example>'),
    ], body, {
        'subject': 'Undelivered Mail Returned to Sender', 'from': 'MAILER-DAEMON@mail.kizuna.example',
        'from_name': 'Mail Delivery System', 'text_contains': ['could not\nbe delivered', 'User unknown'],
        'headers': {'return-path': '<>', 'auto-submitted': 'auto-replied',
                    'content-type': 'multipart/report; report-type=delivery-status; '
                                    'boundary="8F2E31C0A5.1795136400/mail.kizuna.example"'},
        'attachments': [{'name': 'attachment-1.txt', 'type': 'message/delivery-status', 'size': raw_size(report, False)},
                        {'name': 'attachment-2.txt', 'type': 'text/rfc822-headers',
                         'size': raw_size(original_headers, False)}],
        'intent': 'bounce',
    }, crlf=False)
    original = (b'From: Kizuna Support <support@kizuna.example>\nTo: typo@gmial.example\nSubject: [#141] Welcome\n'
                b'Message-ID: <ticket-141.1@kizuna.example>\nDate: Fri, 20 Nov 2026 09:00:00 +0000\n'
                b'Content-Type: text/plain; charset=utf-8\n\nWelcome to Kizuna.\n')
    gmail_report = (b'Reporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; typo@gmial.example\n'
                    b'Action: failed\nStatus: 5.1.1\n')
    body = multipart('000000000000bounce71', [
        entity([('Content-Type', 'multipart/related; boundary="000000000000rel71"')], multipart('000000000000rel71', [
            entity([('Content-Type', 'multipart/alternative; boundary="000000000000alt71"')], alternative(
                '000000000000alt71', "Address not found\n\nYour message wasn't delivered to typo@gmial.example because "
                'the address couldn\'t be found, or is unable to receive mail.\n',
                '<h2>Address not found</h2><p>Your message wasn\'t delivered to <b>typo@gmial.example</b> because '
                'the address couldn\'t be found, or is unable to receive mail.</p>')),
        ])),
        entity([('Content-Type', 'message/delivery-status')], gmail_report),
        entity([('Content-Type', 'message/rfc822')], original),
    ])
    add('072-bounce-gmail-dsn.eml', [
        ('Return-Path', '<>'), ('From', 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'),
        ('To', 'support@kizuna.example'), ('Auto-Submitted', 'auto-replied'), ('Subject', 'Delivery Status Notification (Failure)'),
        ('References', '<ticket-141.1@kizuna.example>'), ('In-Reply-To', '<ticket-141.1@kizuna.example>'),
        ('X-Failed-Recipients', 'typo@gmial.example'), ('Message-ID', '<dsn.72@mx.google.com>'), ('Date', DATE),
        ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/report; boundary="000000000000bounce71"; report-type=delivery-status'),
    ], body, {
        'subject': 'Delivery Status Notification (Failure)', 'from': 'mailer-daemon@googlemail.com',
        'text_contains': ["wasn't delivered to typo@gmial.example"], 'text_not_contains': ['Welcome to Kizuna'],
        'headers': {'x-failed-recipients': 'typo@gmial.example', 'auto-submitted': 'auto-replied'},
        'attachments': [{'name': 'attachment-1.txt', 'type': 'message/delivery-status',
                         'size': raw_size(gmail_report, True)},
                        {'name': '[#141] Welcome.eml', 'type': 'message/rfc822', 'size': raw_size(original, True)}],
        'in_reply_to': 'ticket-141.1@kizuna.example', 'intent': 'bounce',
    })
    add('073-bounce-exim-plain.eml', [
        ('Return-path', '<>'), ('X-Failed-Recipients', 'gone@example.org'), ('Auto-Submitted', 'auto-replied'),
        ('From', 'Mail Delivery System <Mailer-Daemon@mx.hosting.example>'), ('To', 'support@kizuna.example'),
        ('Subject', 'Mail delivery failed: returning message to sender'),
        ('Message-Id', '<E1qXyZa-0001bC-D2@mx.hosting.example>'), ('Date', DATE),
    ], (b'This message was created automatically by mail delivery software.\n\nA message that you sent could not '
        b'be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) '
        b'failed:\n\n  gone@example.org\n    mailbox is full: retry timeout exceeded\n\n'
        b'------ This is a copy of the message, including all the headers. ------\n\n'
        b'Subject: [#142] Your order\nFrom: support@kizuna.example\n\nYour order has shipped.\n'), {
        'subject': 'Mail delivery failed: returning message to sender', 'from': 'Mailer-Daemon@mx.hosting.example',
        'text_contains': ['permanent error', 'mailbox is full'],
        'headers': {'x-failed-recipients': 'gone@example.org', 'return-path': '<>'}, 'intent': 'bounce',
    }, crlf=False)
    ndr_report = (b'Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com\n\n'
                  b'Final-recipient: RFC822; lost@fabrikam.example\nAction: failed\nStatus: 5.1.10\n')
    ndr_original = (b'From: support@kizuna.example\nTo: lost@fabrikam.example\nSubject: [#143] Follow-up\n'
                    b'Message-ID: <ticket-143.1@kizuna.example>\n\nFollowing up.\n')
    body = multipart('_000_NDR_exchange_', [
        entity([('Content-Type', 'multipart/alternative; boundary="_001_NDR_alt_"')], alternative(
            '_001_NDR_alt_', 'Your message to lost@fabrikam.example couldn\'t be delivered.\nlost wasn\'t found at '
            'fabrikam.example.\n',
            '<html><body><p style="font-size:16pt">Your message to <b>lost@fabrikam.example</b> couldn\'t be '
            'delivered.</p><p>lost wasn\'t found at fabrikam.example.</p></body></html>')),
        entity([('Content-Type', 'message/delivery-status')], ndr_report),
        entity([('Content-Type', 'message/rfc822')], ndr_original),
    ])
    add('074-bounce-exchange-ndr.eml', [
        ('From', 'Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.example>'),
        ('To', 'support@kizuna.example'), ('Date', DATE), ('Subject', 'Undeliverable: [#143] Follow-up'),
        ('Message-ID', '<ndr.74@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>'), ('Auto-Submitted', 'auto-replied'),
        ('X-MS-Exchange-Message-Is-Ndr', ''), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/report; report-type=delivery-status;\n\tboundary="_000_NDR_exchange_"'),
    ], body, {
        'subject': 'Undeliverable: [#143] Follow-up', 'text_contains': ["couldn't be delivered"],
        'attachments': [{'name': 'attachment-1.txt', 'type': 'message/delivery-status',
                         'size': raw_size(ndr_report, True)},
                        {'name': '[#143] Follow-up.eml', 'type': 'message/rfc822', 'size': raw_size(ndr_original, True)}],
        'intent': 'bounce',
    })


def more_replies_and_misc():
    html = ('<div style="font-family:Meiryo"><p>今週のおすすめ商品をご紹介します。</p><p>配信停止は'
            '<a href="https://news.example.jp/unsubscribe">こちら</a></p></div>')
    add('075-newsletter-bulk-ja.eml', [
        ('From', words_b('ショップ通信', 'UTF-8') + ' <news@news.example.jp>'), ('To', 'support@kizuna.example'),
        ('Date', DATE), ('Subject', words_b('【週刊】おすすめ商品のお知らせ', 'UTF-8')),
        ('Message-ID', '<weekly.75@news.example.jp>'), ('Precedence', 'bulk'),
        ('List-Unsubscribe', '<https://news.example.jp/unsubscribe>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'text/html; charset=UTF-8'), ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(html.encode()), {
        'subject': '【週刊】おすすめ商品のお知らせ', 'text_contains': ['今週のおすすめ商品をご紹介します。', '配信停止はこちら'],
        'headers': {'precedence': 'bulk', 'list-unsubscribe': '<https://news.example.jp/unsubscribe>'},
        'intent': 'bulk',
    }, crlf=False)
    add('076-reply-subject-tag-variants.eml', [
        ('From', 'Ken <ken@example.com>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', 'RE: RE: Fwd: [#4521] Question about my plan'), ('Message-ID', '<re.76@example.com>'),
        ('In-Reply-To', '<ticket-4521.5@kizuna.example>'), ('Content-Type', 'text/plain; charset=utf-8'),
    ], b'One more question about the annual plan.\n', {
        'subject': 'RE: RE: Fwd: [#4521] Question about my plan', 'in_reply_to': 'ticket-4521.5@kizuna.example',
        'references': [], 'text_contains': ['annual plan'], 'intent': 'reply',
    })
    add('077-reply-tag-only.eml', [
        ('From', 'Lin <lin@example.com>'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Re: [#77] Login problem'),
        ('Message-ID', '<re.77@example.com>'), ('Content-Type', 'text/plain; charset=utf-8'),
    ], b'It works again, thank you!\n\n> Please try clearing the cache.\n', {
        'subject': 'Re: [#77] Login problem', 'in_reply_to': '', 'text_contains': ['It works again'],
        'intent': 'reply',
    }, crlf=False)
    ics = (b'BEGIN:VCALENDAR\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nVERSION:2.0\nMETHOD:REQUEST\n'
           b'BEGIN:VEVENT\nDTSTART:20261125T010000Z\nDTEND:20261125T013000Z\nSUMMARY:Onboarding call\n'
           b'UID:abc123@google.com\nEND:VEVENT\nEND:VCALENDAR\n')
    body = multipart('cal-78', [
        entity([('Content-Type', 'multipart/alternative; boundary="calalt-78"')], multipart('calalt-78', [
            entity([('Content-Type', 'text/plain; charset="UTF-8"')], b'You have been invited to Onboarding call.\n'),
            entity([('Content-Type', 'text/html; charset="UTF-8"')], b'<p>You have been invited to <b>Onboarding call</b>.</p>'),
            entity([('Content-Type', 'text/calendar; charset="UTF-8"; method=REQUEST'),
                    ('Content-Transfer-Encoding', '7bit')], ics),
        ])),
        entity([('Content-Type', 'application/ics; name="invite.ics"'),
                ('Content-Disposition', 'attachment; filename="invite.ics"'), ('Content-Transfer-Encoding', 'base64')],
               b64(ics)),
    ])
    add('078-calendar-invite.eml', [
        ('From', 'Google Calendar <calendar-notification@google.com>'), ('Sender', 'Google Calendar <calendar-notification@google.com>'),
        ('Reply-To', 'Mei <mei@example.com>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', 'Invitation: Onboarding call @ Wed Nov 25, 2026 10am - 10:30am (JST)'),
        ('Message-ID', '<cal.78@google.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="cal-78"'),
    ], body, {
        'subject': 'Invitation: Onboarding call @ Wed Nov 25, 2026 10am - 10:30am (JST)',
        'reply_to': 'mei@example.com', 'text_contains': ['You have been invited to Onboarding call.'],
        'attachments': [{'name': 'attachment-1.ics', 'type': 'text/calendar', 'size': len(ics) + ics.count(b'\n') - 2},
                        {'name': 'invite.ics', 'type': 'application/ics', 'size': len(ics)}],
        'intent': 'new',
    })
    signature = bytes(range(256)) * 2
    body = multipart('----SMIME-79', [
        entity([('Content-Type', 'text/plain; charset=utf-8')], b'Signed message body.\n'),
        entity([('Content-Type', 'application/pkcs7-signature; name="smime.p7s"'),
                ('Content-Transfer-Encoding', 'base64'), ('Content-Disposition', 'attachment; filename="smime.p7s"')],
               b64(signature)),
    ])
    add('079-signed-smime.eml', [
        ('From', 'secure@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Signed'),
        ('Message-ID', '<smime.79@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;\n '
                         'boundary="----SMIME-79"'),
    ], body, {
        'subject': 'Signed', 'text_contains': ['Signed message body.'],
        'attachments': [{'name': 'smime.p7s', 'type': 'application/pkcs7-signature', 'size': len(signature)}],
        'intent': 'new',
    }, crlf=False)
    inner2 = (b'From: a@example.com\nTo: b@example.com\nSubject: Original\nMessage-ID: <orig@example.com>\n\nOriginal.\n')
    inner1 = (b'From: b@example.com\nTo: c@example.com\nSubject: Fwd: Original\nMessage-ID: <fwd1@example.com>\n'
              b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="inner1"\n\n--inner1\n'
              b'Content-Type: text/plain\n\nFirst forward.\n--inner1\nContent-Type: message/rfc822\n\n' + inner2 +
              b'--inner1--\n')
    body = multipart('chain-80', [entity([('Content-Type', 'text/plain')], b'Second forward, see the chain.\n'),
                                  entity([('Content-Type', 'message/rfc822')], inner1)])
    add('080-forward-chain.eml', [
        ('From', 'c@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Fwd: Fwd: Original'),
        ('Message-ID', '<fwd2@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/mixed; boundary="chain-80"'),
    ], body, {
        'subject': 'Fwd: Fwd: Original', 'text_contains': ['Second forward'],
        'text_not_contains': ['First forward', 'Original.'],
        'attachments': [{'name': 'Fwd_ Original.eml', 'type': 'message/rfc822', 'size': raw_size(inner1, False)}],
        'intent': 'forward',
    }, crlf=False)
    add('081-text-and-html-differ.eml', [
        ('From', 'mixed@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'Two versions'),
        ('Message-ID', '<differ.81@example.com>'), ('MIME-Version', '1.0'),
        ('Content-Type', 'multipart/alternative; boundary="differ"'),
    ], alternative('differ', 'PLAIN version of the message.\n', '<p>HTML <i>version</i> of the message.</p>'), {
        'subject': 'Two versions', 'text_contains': ['PLAIN version'], 'text_not_contains': ['HTML version'],
        'html_contains': ['<p>HTML <i>version</i> of the message.</p>'], 'intent': 'new',
    })
    ja_qp = '長い日本語の文章が quoted-printable で改行され、マルチバイト文字の途中で行が切れても正しく復元されること。'
    add('082-qp-soft-breaks-ja.eml', [
        ('From', 'qp@example.jp'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'QP'),
        ('Message-ID', '<qp.82@example.jp>'), ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset=utf-8'),
        ('Content-Transfer-Encoding', 'quoted-printable'),
    ], qp(ja_qp.encode()), {
        'subject': 'QP', 'text_contains': [ja_qp], 'no_warnings': True, 'intent': 'new',
    })
    broken64 = base64.b64encode('Base64 with junk and no padding: 配送'.encode()).decode().rstrip('=')
    broken64 = broken64[:20] + '!!\n' + broken64[20:40] + ' \n' + broken64[40:]
    add('083-base64-broken-padding.eml', [
        ('From', 'b64@example.com'), ('To', SUPPORT), ('Date', DATE), ('Subject', 'B64'),
        ('Message-ID', '<b64.83@example.com>'), ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset=utf-8'),
        ('Content-Transfer-Encoding', 'base64'),
    ], broken64.encode() + b'\n', {
        'subject': 'B64', 'text_contains': ['Base64 with junk and no padding'], 'intent': 'new',
    }, crlf=False)
    add('084-address-forms.eml', [
        ('From', '"=?UTF-8?B?44K144Od44O844OI?= (Support)" <help@example.jp>'),
        ('To', 'undisclosed-recipients:;'),
        ('Cc', '"Doe, Jane" <jane@example.com>, bob@example.com (Bob Smith), Team: a@example.com, b@example.com;'),
        ('Date', DATE), ('Subject', 'Address forms'), ('Message-ID', '<addr.84@example.jp>'),
    ], b'Addresses in many forms.\n', {
        'subject': 'Address forms', 'from': 'help@example.jp', 'from_name': 'サポート (Support)', 'to': [],
        'cc': ['jane@example.com', 'bob@example.com', 'a@example.com', 'b@example.com'],
        'cc_names': ['Doe, Jane', 'Bob Smith', '', ''], 'intent': 'new',
    })
    data = (b'From ana.silva@gmail.com Fri Nov 20 10:00:00 2026\n' + headers_bytes([
        ('From', 'Ana Silva <ana.silva@gmail.com>'), ('To', SUPPORT), ('Date', DATE),
        ('Subject', 'Saved from mbox'), ('Message-ID', '<mbox.85@mail.gmail.com>'),
    ]) + b'\nThis one was exported from an mbox file.\n')
    add_raw('085-mbox-from-line.eml', data, {
        'subject': 'Saved from mbox', 'from': 'ana.silva@gmail.com', 'text_contains': ['exported from an mbox'],
        'intent': 'new',
    })


def errors():
    add_raw('090-empty.eml', b'', {'error': 'empty'})
    add_raw('091-not-an-email.eml', b'Meeting notes, 20 November\n\n- ship the email channel\n- fix the SLA clock\n',
            {'error': 'not an email'})
    add_raw('092-binary-not-an-email.eml', PNG + bytes(range(256)), {'error': 'not an email'})
    add_raw('093-json-not-an-email.eml', b'{"subject": "hello", "from": "a@example.com"}\n', {'error': 'not an email'})


def main():
    for make in (gmail_plain_en, gmail_reply_en, outlook_reply_en, outlook_original_message_en, apple_mail_reply_en,
                 thunderbird_reply_en, yahoo_japan_reply_ja, naver_reply_ko, daum_reply_ko, gmail_reply_vi,
                 gmail_reply_ja, gmail_reply_ko, outlook_reply_ja, iso2022jp_plain, iso2022jp_split_subject,
                 shift_jis_plain, shift_jis_attachment, euc_jp_plain, euc_jp_qp, euckr_plain, ks_c_5601_outlook,
                 euckr_qp_attachment, windows_1258_qp, windows_1258_8bit, utf8_nfd_vi, utf8_base64_vi, utf8_qp_en,
                 mislabelled, undeclared, damaged_text, html_mail, forwards, forward_base64_outlook, attachments_cases, broken_structure,
                 missing_headers, nesting, auto_replies, bounces, more_replies_and_misc, errors):
        make()
    names = [name for name, _, _ in corpus]
    assert len(names) == len(set(names)), 'duplicate file names'
    for old in os.listdir(HERE):
        if old.endswith('.eml') and old not in names:
            os.remove(os.path.join(HERE, old))
    for name, data, _ in corpus:
        with open(os.path.join(HERE, name), 'wb') as out:
            out.write(data)
    expectations = [expect for _, _, expect in corpus]
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as out:
        json.dump(expectations, out, ensure_ascii=False, indent=1)
        out.write('\n')
    print('%d messages' % len(corpus))


if __name__ == '__main__':
    main()
