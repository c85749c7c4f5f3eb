// Package lambdaproxy runs an http.Handler behind API Gateway's proxy integration, as both AWS
// Lambda and Netlify Functions deliver requests: it turns an APIGatewayProxyRequest (base64
// bodies included) into an *http.Request and the handler's answer into the proxy response.
package lambdaproxy
