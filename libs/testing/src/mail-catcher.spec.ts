import { parseMail } from './mail-catcher';

describe('parseMail', () => {
  it('decodes a quoted-printable body, soft line breaks included, and an encoded-word subject', () => {
    const raw = [
      'From: "Shop" <shop@example.com>',
      'Message-ID: <n-1@notifications.example>',
      'Subject: =?UTF-8?Q?Order_3f2a9c1e=E2=80=A6_confirmed?=',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'your order 3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e=',
      '4f5a6b is confirmed.',
      '  3 =C3=97 TEA at 0.10',
    ].join('\r\n');
    expect(parseMail(raw)).toEqual({
      from: '"Shop" <shop@example.com>',
      messageId: '<n-1@notifications.example>',
      subject: 'Order 3f2a9c1e… confirmed',
      text: 'your order 3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b is confirmed.\r\n  3 × TEA at 0.10',
    });
  });

  it('decodes a base64 body and leaves a 7bit one as it is', () => {
    const base64 = `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from('héllo').toString('base64')}`;
    expect(parseMail(base64).text).toBe('héllo');
    expect(parseMail('Subject: plain\r\n\r\nhello').text).toBe('hello');
  });
});
