/**
 * The quick start: a whole session by curl (tenant → initialize → document → face → complete →
 * read), printed by the service at start-up with its public URL and shown in the README with the
 * default one (test/api/readme-quick-start.test.ts checks they agree and runs the README's copy).
 * Only node and curl: the image bodies are written to files and sent with `-d @file`, so no photo
 * is too large for the command line.
 */
export function quickStart(base: string): string {
  return `# 1. a tenant (an integrator): the last line is JSON with its username and password, shown once.
#    Its pages may frame the capture page: the return origins, unless you give --frame-origin.
npm run --silent tenant -- create --name demo --return-origin http://localhost:8080 | tail -n 1 > tenant.json
AUTH=$(node -pe 'const t = JSON.parse(fs.readFileSync("tenant.json")); t.username + ":" + t.password')
# 2. open a session: answers accessToken, sessionId and webEnrolmentUrl (open that in a browser
#    to do the same as the applicant, or go on with curl)
curl -s -u "$AUTH" -H 'content-type: application/json' \\
  -d '{"returnUrl":"http://localhost:8080/done"}' ${base}/api/v1/enrolment/initialize > session.json
TOKEN=$(node -pe 'JSON.parse(fs.readFileSync("session.json")).accessToken')
SESSION=$(node -pe 'JSON.parse(fs.readFileSync("session.json")).sessionId')
# 3. the images as JSON bodies {"imageBase": "<base64>"} in files
node -e 'for (const [img, body] of [["passport.jpg", "document.json"], ["selfie.jpg", "face.json"]])
  fs.writeFileSync(body, JSON.stringify({ imageBase: fs.readFileSync(img).toString("base64") }))'
curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
  -d @document.json ${base}/api/v1/enrolment/document; echo
curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
  -d @face.json ${base}/api/v1/enrolment/face; echo
# 4. complete (the spec's empty body), then read the result with the tenant's credentials
curl -s -X POST -H "authorization: Bearer $TOKEN" -d "" ${base}/api/v1/enrolment/complete; echo
curl -s -u "$AUTH" ${base}/api/v1/sessions/$SESSION > result.json
node -pe 'const r = JSON.parse(fs.readFileSync("result.json")); JSON.stringify({ status: r.status, verification: r.verification?.status, decision: r.verification?.decision, reasons: r.verification?.reasons }, null, 2)'
`;
}
